/**
 * The face nets of @vladmandic/face-api, inside a face worker thread. face-api brings its own
 * copy of the full @tensorflow/tfjs and runs it on its own wasm instance, so nothing here touches
 * the engine's tfjs (its backend choice and its custom kernels). Weights load from the package's
 * `model/` folder; nothing is downloaded. Nets load on first use: SSD and the recognition net
 * are only read when asked for.
 */
import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm'
import * as path from 'node:path'
import type * as FaceApi from '@vladmandic/face-api'
import type * as Tf from '@tensorflow/tfjs'
import { registerFastConcat } from './fast-concat'
import type { DetectOptions } from './face-options'

export type TfModule = typeof Tf
export type FaceApiModule = typeof FaceApi

export interface LoadedNets {
  faceapi: FaceApiModule
  tf: TfModule
  /** Loads (once) every net the options need. */
  prepare(options: Pick<DetectOptions, 'detector' | 'landmarkNet' | 'descriptors'>): Promise<void>
}

/** The folder holding the weights, resolved through node_modules (source and bundle alike). */
export function faceModelFolder(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
}

let loaded: Promise<LoadedNets> | null = null

/** face-api on a fresh wasm backend, with the nets every photo needs already read. */
export function loadFaceNets(): Promise<LoadedNets> {
  loaded ??= start()
  return loaded
}

async function start(): Promise<LoadedNets> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule
  const tf = faceapi.tf as unknown as TfModule
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof WasmBackend
  wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep)
  tf.env().set('PROD', true)
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to start in the face worker')
  await tf.ready()
  registerFastConcat(tf)
  const folder = faceModelFolder()
  const pending = new Map<string, Promise<void>>()
  const load = (net: { isLoaded: boolean; loadFromDisk(folder: string): Promise<void> }, name: string): Promise<void> => {
    if (net.isLoaded) return Promise.resolve()
    let promise = pending.get(name)
    if (!promise) {
      promise = net.loadFromDisk(folder)
      pending.set(name, promise)
    }
    return promise
  }
  const { nets } = faceapi
  const prepare: LoadedNets['prepare'] = async ({ detector, landmarkNet, descriptors }) => {
    await Promise.all([
      detector === 'tiny' ? Promise.resolve() : load(nets.ssdMobilenetv1, 'ssd'),
      detector === 'ssd' ? Promise.resolve() : load(nets.tinyFaceDetector, 'tiny'),
      landmarkNet === 'tiny' ? load(nets.faceLandmark68TinyNet, 'landmarks-tiny') : load(nets.faceLandmark68Net, 'landmarks'),
      load(nets.ageGenderNet, 'age-gender'),
      load(nets.faceExpressionNet, 'expressions'),
      descriptors ? load(nets.faceRecognitionNet, 'recognition') : Promise.resolve()
    ])
  }
  await prepare({ detector: 'tiny', landmarkNet: 'full', descriptors: false })
  return { faceapi, tf, prepare }
}
