import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, MessageDecodeError, type WsMessage } from './ws-codec'

function roundTrip(message: WsMessage): WsMessage {
  return decodeMessage(encodeMessage(message))
}

function decodeFailure(text: string): MessageDecodeError {
  try {
    decodeMessage(text)
  } catch (err) {
    if (err instanceof MessageDecodeError) return err
    throw err
  }
  throw new Error('decoded without complaint')
}

describe('ws codec', () => {
  it('round-trips the three message kinds', () => {
    const request: WsMessage = { type: 'request', id: 7, method: 'trainSetBeta', payload: { beta: 2.5 } }
    const response: WsMessage = { type: 'response', id: 7, envelope: { error: { code: 'busy', message: 'no' } } }
    const event: WsMessage = { type: 'event', event: 'train:state', payload: { state: 'running' } }
    expect(roundTrip(request)).toEqual(request)
    expect(roundTrip(response)).toEqual(response)
    expect(roundTrip(event)).toEqual(event)
    expect(roundTrip({ type: 'request', id: 1, method: 'projectSave', payload: undefined })).toEqual({
      type: 'request',
      id: 1,
      method: 'projectSave',
      payload: undefined
    })
  })

  it('carries image bytes as Uint8Array, every byte value intact', () => {
    const pixels = new Uint8Array(256 * 3).map((_, i) => i % 256)
    const image = { width: 16, height: 16, channels: 3, pixels }
    const decoded = roundTrip({ type: 'response', id: 3, envelope: { result: [image, image] } })
    const result = (decoded as { envelope: { result: Array<typeof image> } }).envelope.result
    expect(result[1].pixels).toBeInstanceOf(Uint8Array)
    expect(Array.from(result[1].pixels)).toEqual(Array.from(pixels))
    expect(result[1]).toMatchObject({ width: 16, height: 16, channels: 3 })
  })

  it('sends a Node Buffer and a view into a larger buffer as just their bytes', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9])
    const view = backing.subarray(2, 5)
    const decoded = roundTrip({ type: 'event', event: 'x', payload: { view, buf: Buffer.from([4, 5]) } })
    const payload = (decoded as { payload: { view: Uint8Array; buf: Uint8Array } }).payload
    expect(Array.from(payload.view)).toEqual([1, 2, 3])
    expect(payload.buf).toBeInstanceOf(Uint8Array)
    expect(Array.from(payload.buf)).toEqual([4, 5])
  })

  it('round-trips Float32Array and Uint8ClampedArray', () => {
    const floats = new Float32Array([0.5, -1.25, 3e-8, Number.POSITIVE_INFINITY])
    const clamped = new Uint8ClampedArray([0, 128, 255])
    const decoded = roundTrip({ type: 'event', event: 'x', payload: { floats, clamped } })
    const payload = (decoded as { payload: { floats: Float32Array; clamped: Uint8ClampedArray } }).payload
    expect(payload.floats).toBeInstanceOf(Float32Array)
    expect(Array.from(payload.floats)).toEqual(Array.from(floats))
    expect(payload.clamped).toBeInstanceOf(Uint8ClampedArray)
    expect(Array.from(payload.clamped)).toEqual([0, 128, 255])
  })

  it('handles a large image without blowing the stack', () => {
    const pixels = new Uint8Array(128 * 128 * 3 * 16).fill(200)
    const decoded = roundTrip({ type: 'event', event: 'x', payload: pixels }) as { payload: Uint8Array }
    expect(decoded.payload.length).toBe(pixels.length)
    expect(decoded.payload[pixels.length - 1]).toBe(200)
  })

  it('refuses typed arrays it has no tag for', () => {
    expect(() => encodeMessage({ type: 'event', event: 'x', payload: new Int16Array(2) })).toThrow(/Int16Array/)
  })

  it('refuses prototype-reaching keys anywhere, keeping the id for the error reply', () => {
    const proto = decodeFailure('{"type":"request","id":4,"method":"settingsSet","payload":{"__proto__":{"polluted":true}}}')
    expect(proto.id).toBe(4)
    expect(proto.code).toBe('invalid-request')
    expect(proto.message).toMatch(/__proto__/)
    expect(decodeFailure('{"type":"request","id":5,"method":"a","payload":[{"constructor":{"prototype":{}}}]}').id).toBe(5)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports malformed messages without an id when none can be read', () => {
    expect(decodeFailure('not json').id).toBeNull()
    expect(decodeFailure('[1,2]').id).toBeNull()
    expect(decodeFailure('{"type":"request","method":"engineInfo"}').id).toBeNull()
    expect(decodeFailure('{"type":"request","id":-1,"method":"engineInfo"}').id).toBeNull()
    expect(decodeFailure('{"type":"request","id":2}').id).toBe(2)
    expect(decodeFailure('{"type":"shout","id":8}').id).toBe(8)
    expect(decodeFailure('{"type":"response","id":1,"envelope":{"nope":1}}').message).toMatch(/envelope/)
    expect(decodeFailure('{"type":"event","payload":1}').message).toMatch(/event name/)
  })

  it('refuses broken byte tags', () => {
    expect(decodeFailure('{"type":"event","event":"x","payload":{"$bytes":"i64","base64":"AAAA"}}').message).toMatch(/i64/)
    expect(decodeFailure('{"type":"event","event":"x","payload":{"$bytes":"f32","base64":"AAA="}}').message).toMatch(/f32/)
    expect(decodeFailure('{"type":"event","event":"x","payload":{"$bytes":"u8","base64":"!!"}}').id).toBeNull()
  })
})
