/**
 * The small per-phase filters of a transposed convolution (see phase-plan.ts), cached per source
 * filter. Inference calls the decoder with the same weights again and again; rebuilding these
 * filters each time (and having XNNPACK repack them, since it caches packed weights per tensor)
 * made decoding one image 4× slower than the arithmetic. An entry is freed as soon as its
 * source filter is gone (checked on every call), so during training, where weights change every
 * step, the cache holds one generation of filters at most.
 */
import * as tf from '../../tf'
import type { AxisPhase } from './phase-plan'
import { heapF32, release, runWasmKernel, type BackendWasm, type Info } from './wasm-ops'

/**
 * `conv`: filter [kh, kw, inC, outC]. `depthwise`: filter [kh, kw, inC, multiplier]; dy channel
 * c·multiplier + m belongs to input channel c, and the multiplier groups are summed.
 */
export type ConvKind = 'conv' | 'depthwise'

interface Entry {
  backend: BackendWasm
  source: object
  key: string
  filters: (Info | null)[]
}

let entries: Entry[] = []

/** One filter per (row phase, column phase), row-major; null where no tap reaches the phase. */
export function phaseFilters(backend: BackendWasm, filter: Info, rows: AxisPhase[], cols: AxisPhase[], kind: ConvKind): (Info | null)[] {
  dropStale(backend)
  const key = `${kind}|${filter.shape.join(',')}|${rows.map((r) => r.taps.join(',')).join(';')}|${cols.map((c) => c.taps.join(',')).join(';')}`
  const hit = entries.find((e) => e.source === filter.dataId && e.key === key && e.backend === backend)
  if (hit) return hit.filters
  const filters = buildFilters(backend, filter, rows, cols, kind)
  entries.push({ backend, source: filter.dataId, key, filters })
  return filters
}

/** Frees every cached phase filter (they otherwise live as long as their source filter). */
export function clearPhaseFilterCache(): void {
  const current = tf.findBackend('wasm')
  for (const entry of entries) if (entry.backend === current) releaseEntry(entry)
  entries = []
}

/**
 * Frees the entries whose source filter is gone. Entries of another backend instance (the wasm
 * backend was removed and created anew) are forgotten: their memory went with that instance.
 */
function dropStale(backend: BackendWasm): void {
  const live: Entry[] = []
  for (const entry of entries) {
    if (entry.backend !== backend) continue
    if (backend.dataIdMap.has(entry.source)) live.push(entry)
    else releaseEntry(entry)
  }
  entries = live
}

function releaseEntry(entry: Entry): void {
  for (const f of entry.filters) if (f !== null) release(entry.backend, f)
}

function buildFilters(backend: BackendWasm, filter: Info, rows: AxisPhase[], cols: AxisPhase[], kind: ConvKind): (Info | null)[] {
  // Lay the filter out so each tap (kh, kw) is one contiguous block holding the phase
  // convolution's [in, out] matrix for that tap: [kh, kw, outC, inC] for `conv` (the gradient maps
  // dy channels back to x channels), the filter itself for `depthwise`.
  const tapMajor = kind === 'conv' ? runWasmKernel(backend, tf.Transpose, { x: filter }, { perm: [0, 1, 3, 2] }) : filter
  try {
    const [, kw, a, b] = tapMajor.shape
    const block = a * b
    const filters: (Info | null)[] = []
    for (const row of rows) {
      for (const col of cols) {
        if (row.taps.length === 0 || col.taps.length === 0) {
          filters.push(null)
          continue
        }
        const shape = kind === 'conv' ? [row.taps.length, col.taps.length, a, b] : [row.taps.length, col.taps.length, block, 1]
        const out = backend.makeOutput(shape, 'float32')
        const src = heapF32(backend, tapMajor)
        const dst = heapF32(backend, out)
        let t = 0
        for (const kh of row.taps) {
          for (const kc of col.taps) {
            const from = (kh * kw + kc) * block
            dst.set(src.subarray(from, from + block), t * block)
            t++
          }
        }
        filters.push(out)
      }
    }
    return filters
  } finally {
    if (tapMajor !== filter) release(backend, tapMajor)
  }
}
