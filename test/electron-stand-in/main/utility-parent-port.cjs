// Preloaded into every process the stand-in's `utilityProcess.fork` starts: gives it Electron's
// `process.parentPort` (messages arrive as `{ data, ports }`) and hides Node's own IPC channel,
// which a real utility process does not have. A utility process dies with the app.
const { EventEmitter } = require('node:events')
const { isMainThread } = require('node:worker_threads')

function installParentPort() {
  const send = process.send.bind(process)
  const port = new EventEmitter()
  port.postMessage = (message) => send(message)
  port.start = () => undefined
  process.on('message', (data) => port.emit('message', { data, ports: [] }))
  process.on('disconnect', () => process.exit(0))
  process.parentPort = port
  process.send = undefined
}

// Worker threads the process starts inherit this preload; they have no parent port of their own.
if (isMainThread) installParentPort()
