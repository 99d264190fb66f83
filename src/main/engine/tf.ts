/**
 * The engine's single import of TensorFlow.js: core ops, layers and the cpu backend. Backends
 * beyond cpu (tfjs-node, wasm) are loaded by `backend/select-backend.ts`.
 */
import '@tensorflow/tfjs-backend-cpu'
export * from '@tensorflow/tfjs-core'
export * as layers from '@tensorflow/tfjs-layers'
