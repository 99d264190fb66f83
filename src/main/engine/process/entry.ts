/**
 * The engine process: loads the fastest backend, then answers the host's requests and streams
 * events. It never touches Electron; a crash here leaves the window or the CLI standing. It ends
 * when its parent is gone, after stopping a training run at the current step with a checkpoint.
 */
import { selectBackend } from '../backend/select-backend'
import { engineHandlers } from '../session/engine-handlers'
import { EngineSession } from '../session/engine-session'
import { dispatch } from './dispatch'
import { connectParent } from './parent-port'
import { watchParent } from './parent-watch'
import { messageOf } from '../../../shared/errors'

/** Time a closing engine has to save a running training and let go of its project; then it exits anyway. */
const windDownMs = 20_000

let session: EngineSession | null = null
let closing = false

async function main(): Promise<void> {
  watchParent((why) => void shutdown(why))
  const parent = connectParent()
  const backend = await selectBackend((process.env.VAE_STUDIO_BACKEND ?? 'auto') as Parameters<typeof selectBackend>[0])
  if (closing) return
  session = new EngineSession((event, payload) => parent.send({ type: 'event', event, payload }), backend)
  const handlers = engineHandlers(session)
  parent.onMessage((request) => {
    if (request?.type !== 'request') return
    void dispatch(handlers, request).then((response) => parent.send(response))
  })
  parent.send({ type: 'ready', backend: backend.name })
}

/** Stops training (which saves it), releases the project's lock, and exits; bounded by `windDownMs`. */
async function shutdown(why: string): Promise<void> {
  if (closing) return
  closing = true
  setTimeout(() => {
    console.error(`engine: ${why}, and it could not save and close within ${windDownMs / 1000} s; exiting without it`)
    process.exit(1)
  }, windDownMs)
  try {
    await session?.dispose()
  } catch (err) {
    console.error(`engine: ${why}; closing failed: ${messageOf(err)}`)
  }
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(`engine failed to start: ${messageOf(err)}`)
  process.exit(1)
})
