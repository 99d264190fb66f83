/** Bit-for-bit comparison of checkpoints: `toEqual` would call two different NaN payloads equal. */
import { expect } from 'vitest'
import type { Checkpoint, NamedArray } from '../../../src/main/engine/project/checkpoint-manifest'

function bits(arrays: NamedArray[]): Array<{ name: string; shape: number[]; hex: string }> {
  return arrays.map((array) => ({
    name: array.name,
    shape: array.shape,
    hex: Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength).toString('hex')
  }))
}

function comparable(checkpoint: Checkpoint): unknown {
  return {
    ...checkpoint,
    tensors: bits(checkpoint.tensors),
    optimizer: { ...checkpoint.optimizer, tensors: bits(checkpoint.optimizer.tensors) },
    ...(checkpoint.sharpen ? { sharpen: { ...checkpoint.sharpen, tensors: bits(checkpoint.sharpen.tensors) } } : {})
  }
}

export function expectSameBits(actual: Checkpoint | null, expected: Checkpoint): void {
  expect(actual).not.toBeNull()
  expect(comparable(actual as Checkpoint)).toEqual(comparable(expected))
}
