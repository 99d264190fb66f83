// Preloaded (--require) into an engine process to make `require('sharp')` fail as it does where
// sharp's native library cannot load (e.g. inside Electron on some Linux systems).
const Module = require('node:module')
const load = Module._load
Module._load = function (request, ...rest) {
  if (request === 'sharp' || request.startsWith('sharp/'))
    throw new Error('Could not load the "sharp" module using the linux-x64 runtime (blocked by the test)')
  return load.call(this, request, ...rest)
}
