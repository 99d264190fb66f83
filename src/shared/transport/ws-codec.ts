/**
 * The serve mode's wire format: JSON text frames, with typed arrays tagged and base64'd so images
 * survive the trip. Decoding treats the text as hostile: keys that could reach an object's
 * prototype (`__proto__`, `constructor`, `prototype`) make the whole message invalid, and the
 * shape is checked before anyone acts on it.
 */
import { StudioError, type Envelope, messageOf } from '../errors'
import { base64ToBytes, bytesToBase64 } from './base64'

export type WsMessage =
  | { type: 'request'; id: number; method: string; payload: unknown }
  /** `id` is null when the request it answers could not be read at all. */
  | { type: 'response'; id: number | null; envelope: Envelope<unknown> }
  | { type: 'event'; event: string; payload: unknown }

/** A message that cannot be acted on; `id` is the request's id when it could still be read. */
export class MessageDecodeError extends StudioError {
  constructor(
    message: string,
    readonly id: number | null
  ) {
    super('invalid-request', message)
    this.name = 'MessageDecodeError'
  }
}

const typedArrays = {
  u8: Uint8Array,
  u8c: Uint8ClampedArray,
  f32: Float32Array
} as const
type Tag = keyof typeof typedArrays

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype'])

function tagOf(value: ArrayBufferView): Tag {
  // Buffer is a Uint8Array subclass and travels as plain bytes.
  if (value instanceof Uint8Array) return 'u8'
  if (value instanceof Uint8ClampedArray) return 'u8c'
  if (value instanceof Float32Array) return 'f32'
  throw new StudioError('internal', `cannot send a ${value.constructor.name} over the WebSocket`)
}

export function encodeMessage(message: WsMessage): string {
  return JSON.stringify(message, function (this: Record<string, unknown>, key: string, value: unknown) {
    // `this[key]` is the value before toJSON ran: Buffer.toJSON would otherwise hide the bytes.
    const original = this[key]
    if (!ArrayBuffer.isView(original)) return value
    const bytes = new Uint8Array(original.buffer, original.byteOffset, original.byteLength)
    return { $bytes: tagOf(original), base64: bytesToBase64(bytes) }
  })
}

function untag(value: Record<string, unknown>): unknown {
  const keys = Object.keys(value)
  if (keys.length !== 2 || typeof value.$bytes !== 'string' || typeof value.base64 !== 'string') return value
  if (!Object.hasOwn(typedArrays, value.$bytes)) throw new Error(`unknown byte tag ${value.$bytes}`)
  const Type = typedArrays[value.$bytes as Tag]
  const bytes = base64ToBytes(value.base64)
  if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) throw new Error(`${value.$bytes} data of ${bytes.length} bytes`)
  return value.$bytes === 'u8' ? bytes : new Type(bytes.buffer, 0, bytes.length / Type.BYTES_PER_ELEMENT)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readId(value: Record<string, unknown>): number | null {
  return Number.isSafeInteger(value.id) && (value.id as number) >= 0 ? (value.id as number) : null
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (!isRecord(value)) return false
  if ('result' in value) return true
  return isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string'
}

export function decodeMessage(text: string): WsMessage {
  let forbidden: string | null = null
  let parsed: unknown
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (forbiddenKeys.has(key)) {
        forbidden = key
        return undefined
      }
      return isRecord(value) && '$bytes' in value ? untag(value) : value
    })
  } catch (err) {
    throw new MessageDecodeError(`malformed message: ${messageOf(err)}`, null)
  }
  if (!isRecord(parsed)) throw new MessageDecodeError('malformed message: not an object', null)
  const id = readId(parsed)
  if (forbidden !== null) throw new MessageDecodeError(`malformed message: forbidden key "${forbidden}"`, id)
  switch (parsed.type) {
    case 'request':
      if (id === null || typeof parsed.method !== 'string') {
        throw new MessageDecodeError('malformed request: needs an integer id and a method', id)
      }
      return { type: 'request', id, method: parsed.method, payload: parsed.payload }
    case 'response':
      if ((id === null && parsed.id !== null) || !isEnvelope(parsed.envelope)) {
        throw new MessageDecodeError('malformed response: needs an id and an envelope', id)
      }
      return { type: 'response', id, envelope: parsed.envelope }
    case 'event':
      if (typeof parsed.event !== 'string') throw new MessageDecodeError('malformed event: needs an event name', null)
      return { type: 'event', event: parsed.event, payload: parsed.payload }
    default:
      throw new MessageDecodeError('malformed message: unknown type', id)
  }
}
