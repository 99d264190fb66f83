/**
 * The engine's single import of TensorFlow.js: core ops, layers and the cpu backend. Backends
 * beyond cpu (tfjs-node, wasm) are loaded by `backend/select-backend.ts`.
 */
import '@tensorflow/tfjs-backend-cpu'
import { engine, env } from '@tensorflow/tfjs-core'
export * from '@tensorflow/tfjs-core'
export * as layers from '@tensorflow/tfjs-layers'

// Production mode silences tfjs's console advice ("install tfjs-node"), which would garble the
// CLI's progress output; the studio reports the backend itself.
env().set('PROD', true)

/** Like `tidy`, for work that returns plain values (images, numbers) rather than tensors. */
export function scoped<T>(fn: () => T): T {
  engine().startScope()
  try {
    return fn()
  } finally {
    engine().endScope()
  }
}
