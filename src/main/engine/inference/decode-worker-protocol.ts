/** Messages between the engine and its decode worker thread (see parallel-decoder.ts). */
import type { ModelConfig } from '../../../shared/config'
import type { RawImage } from '../../../shared/images'

export interface WeightArray {
  shape: number[]
  data: Float32Array
}

export type ToDecodeWorker =
  /** The decoder to use from now on: its config and every weight, in the layers' order. */
  { type: 'decoder'; config: ModelConfig; weights: WeightArray[] } | { type: 'decode'; id: number; z: Float32Array; count: number }

export type FromDecodeWorker =
  { type: 'ready' } | { type: 'decoded'; id: number; images: RawImage[] } | { type: 'failed'; id: number; message: string }
