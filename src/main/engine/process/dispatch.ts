/** Routes one protocol request to the session and wraps the outcome in the error envelope. */
import { toEnvelopeError, type Envelope } from '../../../shared/errors'
import { StudioError } from '../../../shared/errors'
import { toStudioError } from '../session/to-studio-error'
import type { StudioSession } from '../session/studio-session'
import { isEngineMethod } from './engine-methods'
import type { EngineRequest, EngineResponse } from './protocol'

export async function dispatch(session: StudioSession, request: EngineRequest): Promise<EngineResponse> {
  let envelope: Envelope<unknown>
  try {
    if (!isEngineMethod(request.method)) throw new StudioError('invalid-request', `the engine has no method "${request.method}"`)
    const method = session[request.method] as (params: unknown) => Promise<unknown>
    envelope = { result: await method.call(session, request.params) }
  } catch (err) {
    envelope = toEnvelopeError(toStudioError(err))
  }
  return { type: 'response', id: request.id, envelope }
}
