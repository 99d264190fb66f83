/**
 * Picks the fastest backend that loads: tfjs-node (native libtensorflow, an optional dependency
 * that is often absent) → wasm (with the engine's own gradient and speed kernels) → cpu. An
 * explicit choice that cannot load is an error naming what can.
 */
import * as path from 'node:path'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import * as tf from '../tf'
import { registerWasmKernels } from './wasm-kernels'

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu'

export interface SelectedBackend {
  /** The backend now active in tfjs. */
  name: string
  /** Backends that load in this process, fastest first. */
  available: string[]
}

const order = ['tensorflow', 'wasm', 'cpu'] as const
type BackendName = (typeof order)[number]

/** Backends that failed to initialise once; tfjs will not retry them either. */
const failed = new Set<BackendName>()

/**
 * tfjs-node registers the 'tensorflow' backend when required. It must never be a static import:
 * where its native library could not be installed, requiring it throws.
 */
function loadTfjsNode(): boolean {
  if (tf.findBackendFactory('tensorflow') != null) return true
  try {
    require('@tensorflow/tfjs-node')
  } catch {
    return false
  }
  // A tfjs-node resolving a different tfjs-core copy would register with that engine, not ours.
  return tf.findBackendFactory('tensorflow') != null
}

/**
 * Points the wasm loader at the package's own binaries (resolved through node_modules, so it
 * works from source and from the bundle, where dependencies stay external) and installs the
 * engine's kernels before the backend runs anything.
 */
function prepareWasm(): void {
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
  setWasmPaths(dist + path.sep)
  registerWasmKernels()
}

function isLoadable(name: BackendName): boolean {
  if (failed.has(name)) return false
  if (name === 'tensorflow') return loadTfjsNode()
  return tf.findBackendFactory(name) != null
}

async function activate(name: BackendName): Promise<boolean> {
  if (!isLoadable(name)) return false
  if (name === 'wasm') prepareWasm()
  const ok = await tf.setBackend(name).catch(() => false)
  if (!ok) failed.add(name)
  return ok
}

export async function selectBackend(preferred: BackendChoice = 'auto'): Promise<SelectedBackend> {
  const candidates = preferred === 'auto' ? order : [preferred]
  for (const name of candidates) {
    if (await activate(name)) {
      await tf.ready()
      return { name: tf.getBackend(), available: order.filter(isLoadable) }
    }
  }
  const available = order.filter(isLoadable)
  const hint = preferred === 'tensorflow' ? ' (install @tensorflow/tfjs-node where libtensorflow can be downloaded)' : ''
  throw new Error(`the '${preferred}' backend is not available here${hint}; available: ${available.join(', ')}`)
}
