/**
 * The shared memory of a data-parallel run: every buffer the workers and the engine thread see,
 * as views over SharedArrayBuffers. Nothing here copies per step except what a caller asks for.
 *
 * Weights, Adam's moments and Adam's scalars are double-buffered by the parity of `version`: the
 * buffers of the published version are never written; a step reads them and writes the other
 * parity, and publishing flips `version`. So a step that dies halfway leaves the published state
 * whole, and a reader on the engine thread (the thread that starts steps) never sees a torn copy.
 */
import type { NamedArray } from '../../project/checkpoint-manifest'
import type { StepTerms } from '../vae-objective'

/** Terms a shard reports per step (see `StepTerms`). */
const stepTermCount: StepTerms['length'] = 7

/** Where one trainable tensor sits in the flat parameter vector (the model's trainable order). */
export interface ParamEntry {
  name: string
  shape: number[]
  offset: number
  size: number
}

export interface ParamLayout {
  entries: ParamEntry[]
  /** Parameters in all. */
  total: number
  /** Where the sharpen option's discriminator starts (its tensors come last); `total` without one. */
  discriminatorFrom: number
  /** `total` rounded up to whole cache lines, the stride of every per-parity and per-slot block. */
  stride: number
}

/** Structured-clone-safe: these cross to each worker once, in its `workerData`. */
export interface SharedBuffers {
  control: SharedArrayBuffer
  /** Per parity, per Adam group (the VAE's, the discriminator's): [iterations, accBeta1, accBeta2] (float32 values held as float64). */
  adamScalars: SharedArrayBuffer
  /** [parity][stride] */
  weights: SharedArrayBuffer
  /** [m parity 0, m parity 1, v parity 0, v parity 1][stride] */
  moments: SharedArrayBuffer
  /** [shard][stride]: each shard's weighted gradient. */
  gradients: SharedArrayBuffer
  /** [shard][`StepTerms`], each the shard's part of the batch's. */
  terms: SharedArrayBuffer
  /** The dataset's uint8 cache. */
  images: SharedArrayBuffer
}

/** Indices into the control `Int32Array`. */
export const Ctl = {
  barrierCount: 0,
  barrierGeneration: 1,
  /** Non-zero: a worker died or failed; everyone leaves the step at the next barrier. */
  abort: 2,
  /** The published weights version; its parity picks the buffers to read. */
  version: 3,
  /** Workers taking part in steps (barrier parties). */
  parties: 4,
  /** From here, one int per rank: 1 while that worker waits at a barrier for the others (so a watchdog blames the one they wait for). */
  waiting: 8
} as const

/** 16 floats = 64 bytes: per-worker ranges never share a cache line. */
const align = 16

/** The VAE's tensors, then the discriminator's when the run sharpens. */
export function layoutOf(
  arrays: Array<Pick<NamedArray, 'name' | 'shape'>>,
  discriminator: Array<Pick<NamedArray, 'name' | 'shape'>> = []
): ParamLayout {
  let offset = 0
  const entry = ({ name, shape }: Pick<NamedArray, 'name' | 'shape'>): ParamEntry => {
    const size = shape.reduce((a, b) => a * b, 1)
    offset += size
    return { name, shape: [...shape], offset: offset - size, size }
  }
  const entries = arrays.map(entry)
  const discriminatorFrom = offset
  entries.push(...discriminator.map(entry))
  return { entries, total: offset, discriminatorFrom, stride: Math.ceil(offset / align) * align }
}

/** `workers`: the most worker threads the run will have (each gets a waiting flag). */
export function allocateShared(layout: ParamLayout, shards: number, workers: number, images: SharedArrayBuffer): SharedBuffers {
  const f32 = (n: number) => new SharedArrayBuffer(n * 4)
  return {
    control: new SharedArrayBuffer((Ctl.waiting + workers) * 4),
    adamScalars: new SharedArrayBuffer(2 * adamGroups * 3 * 8),
    weights: f32(2 * layout.stride),
    moments: f32(4 * layout.stride),
    gradients: f32(shards * layout.stride),
    terms: new SharedArrayBuffer(shards * stepTermCount * 8),
    images
  }
}

/** The dataset cache as shared memory: used as is when it already is, else copied once. */
export function shareImages(images: Uint8Array): SharedArrayBuffer {
  if (images.buffer instanceof SharedArrayBuffer && images.byteOffset === 0 && images.byteLength === images.buffer.byteLength) {
    return images.buffer
  }
  const shared = new SharedArrayBuffer(images.byteLength)
  new Uint8Array(shared).set(images)
  return shared
}

/** The VAE's parameters, and the discriminator's (its own learning rate and βs). */
export const adamGroups = 2
export type AdamGroup = 0 | 1

export interface AdamScalars {
  iterations: number
  accBeta1: number
  accBeta2: number
}

/** Typed views over `SharedBuffers`, the same on every thread. */
export class SharedState {
  readonly control: Int32Array
  readonly images: Uint8Array
  private readonly scalars: Float64Array
  private readonly weightsAll: Float32Array
  private readonly momentsAll: Float32Array
  private readonly gradientsAll: Float32Array
  private readonly termsAll: Float64Array

  constructor(
    readonly buffers: SharedBuffers,
    readonly layout: ParamLayout
  ) {
    this.control = new Int32Array(buffers.control)
    this.images = new Uint8Array(buffers.images)
    this.scalars = new Float64Array(buffers.adamScalars)
    this.weightsAll = new Float32Array(buffers.weights)
    this.momentsAll = new Float32Array(buffers.moments)
    this.gradientsAll = new Float32Array(buffers.gradients)
    this.termsAll = new Float64Array(buffers.terms)
  }

  get version(): number {
    return Atomics.load(this.control, Ctl.version)
  }

  get shards(): number {
    return this.termsAll.length / stepTermCount
  }

  weights(parity: number): Float32Array {
    return this.block(this.weightsAll, parity)
  }

  firstMoment(parity: number): Float32Array {
    return this.block(this.momentsAll, parity)
  }

  secondMoment(parity: number): Float32Array {
    return this.block(this.momentsAll, 2 + parity)
  }

  gradientSlot(slot: number): Float32Array {
    return this.block(this.gradientsAll, slot)
  }

  terms(slot: number): Float64Array {
    return this.termsAll.subarray(slot * stepTermCount, (slot + 1) * stepTermCount)
  }

  adamScalars(parity: number, group: AdamGroup = 0): AdamScalars {
    const at = (parity * adamGroups + group) * 3
    const [iterations, accBeta1, accBeta2] = this.scalars.subarray(at, at + 3)
    return { iterations, accBeta1, accBeta2 }
  }

  setAdamScalars(parity: number, s: AdamScalars, group: AdamGroup = 0): void {
    this.scalars.set([s.iterations, s.accBeta1, s.accBeta2], (parity * adamGroups + group) * 3)
  }

  /** One tensor's values inside a flat block (a view, not a copy). */
  entryView(block: Float32Array, index: number): Float32Array {
    const { offset, size } = this.layout.entries[index]
    return block.subarray(offset, offset + size)
  }

  private block(all: Float32Array, index: number): Float32Array {
    const { stride, total } = this.layout
    return all.subarray(index * stride, index * stride + total)
  }
}

/** Rows [start, end) of a batch of `batchSize` that worker `rank` of `workers` trains on. */
export function shardRows(batchSize: number, workers: number, rank: number): [number, number] {
  return [Math.floor((rank * batchSize) / workers), Math.floor(((rank + 1) * batchSize) / workers)]
}

/** Parameters [start, end) that worker `rank` sums and updates, cut at cache-line boundaries. */
export function paramRange(total: number, workers: number, rank: number): [number, number] {
  const cut = (k: number) => Math.min(total, Math.round((k * total) / workers / align) * align)
  return [cut(rank), rank === workers - 1 ? total : cut(rank + 1)]
}
