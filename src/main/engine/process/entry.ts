/**
 * The engine process: loads the fastest backend, then answers the host's requests and streams
 * events. It never touches Electron; a crash here leaves the window or the CLI standing.
 */
import { selectBackend } from '../backend/select-backend'
import { engineHandlers } from '../session/engine-handlers'
import { EngineSession } from '../session/engine-session'
import { dispatch } from './dispatch'
import { connectParent } from './parent-port'
import { messageOf } from '../../../shared/errors'

async function main(): Promise<void> {
  const parent = connectParent()
  const backend = await selectBackend((process.env.VAE_STUDIO_BACKEND ?? 'auto') as Parameters<typeof selectBackend>[0])
  const handlers = engineHandlers(new EngineSession((event, payload) => parent.send({ type: 'event', event, payload }), backend))
  parent.onMessage((request) => {
    if (request?.type !== 'request') return
    void dispatch(handlers, request).then((response) => parent.send(response))
  })
  parent.send({ type: 'ready', backend: backend.name })
}

main().catch((err: unknown) => {
  console.error(`engine failed to start: ${messageOf(err)}`)
  process.exit(1)
})
