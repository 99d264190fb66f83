/** Routes one protocol request to the engine's handler for it and wraps the outcome in the error envelope. */
import { engineMethodNames, type EngineMethod, type Handlers } from '../../../shared/contract'
import { StudioError, toEnvelopeError, type Envelope } from '../../../shared/errors'
import { toStudioError } from '../session/to-studio-error'
import type { EngineRequest, EngineResponse } from './protocol'

const known = new Set<string>(engineMethodNames)

export async function dispatch(handlers: Handlers<EngineMethod>, request: EngineRequest): Promise<EngineResponse> {
  let envelope: Envelope<unknown>
  try {
    if (!known.has(request.method)) throw new StudioError('invalid-request', `the engine has no method "${request.method}"`)
    const handler = handlers[request.method as EngineMethod] as (params: unknown) => Promise<unknown>
    envelope = { result: await handler(request.params) }
  } catch (err) {
    envelope = toEnvelopeError(toStudioError(err))
  }
  return { type: 'response', id: request.id, envelope }
}
