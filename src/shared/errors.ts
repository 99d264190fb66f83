/**
 * The error envelope: handlers never throw across a transport; they answer `{ result }` or
 * `{ error: { code, message } }`, and clients turn the latter back into a thrown `StudioError`.
 */
export type ErrorCode =
  | 'invalid-request'
  | 'not-found'
  | 'forbidden-path'
  | 'no-project'
  | 'busy'
  | 'bad-data'
  | 'newer-schema'
  | 'engine-crashed'
  | 'engine-stopped'
  | 'cancelled'
  | 'internal'

export type Envelope<T> = { result: T } | { error: { code: ErrorCode; message: string } }

export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'StudioError'
  }
}

export function toEnvelopeError(err: unknown): { error: { code: ErrorCode; message: string } } {
  if (err instanceof StudioError) return { error: { code: err.code, message: err.message } }
  return { error: { code: 'internal', message: messageOf(err) } }
}

/** What a caught value says, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if ('error' in envelope) throw new StudioError(envelope.error.code, envelope.error.message)
  return envelope.result
}
