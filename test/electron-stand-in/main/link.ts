/** The main process's line to the test process, which forked it and plays Chromium's part. */
import { createRpc } from '../rpc'

if (!process.send) throw new Error('the Electron stand-in must be started by its test fixture (with an IPC channel)')
const send = process.send.bind(process)

export const link = createRpc(
  (message) => send(message),
  (listener) => process.on('message', (message) => listener(message as never))
)

// Electron's main process has no Node IPC channel of its own: the app must not find one.
;(process as { send?: unknown }).send = undefined
