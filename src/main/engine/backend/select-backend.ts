/**
 * Picks the fastest backend that loads: tfjs-node (native, optional dependency) → wasm (with the
 * engine's gradient kernels) → cpu. An explicit choice that cannot load is an error naming what can.
 */
import * as path from 'node:path'
import * as tf from '../tf'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { registerWasmKernels } from './wasm-kernels'

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu'

function tryTfjsNode(): boolean {
  try {
    // Optional dependency: absent where libtensorflow could not be downloaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
    setWasmPaths(`${dist}${path.sep}`)
    if (!(await tf.setBackend('wasm'))) return false
    registerWasmKernels()
    return true
  } catch {
    return false
  }
}

export async function selectBackend(preferred: BackendChoice = 'auto'): Promise<{ name: string; available: string[] }> {
  const available: string[] = []
  if ((preferred === 'auto' || preferred === 'tensorflow') && tryTfjsNode() && (await tf.setBackend('tensorflow'))) available.push('tensorflow')
  if (preferred === 'tensorflow' && !available.includes('tensorflow')) {
    throw new Error('the tensorflow backend (@tensorflow/tfjs-node) is not installed here; available: wasm, cpu')
  }
  if (available.length === 0 && preferred !== 'cpu') {
    if (await tryWasm()) available.push('wasm')
    else if (preferred === 'wasm') throw new Error('the wasm backend failed to load; available: cpu')
  }
  if (available.length === 0) await tf.setBackend('cpu')
  available.push('cpu')
  return { name: tf.getBackend(), available }
}
