/**
 * A deterministic checkpoint for a given step, filled with random bit patterns (NaNs with
 * payloads, -0, subnormals included), so a test can tell bit-exactly which write it read back.
 */
import { Rng } from '../../../src/main/engine/random/rng'
import type { Checkpoint, NamedArray } from '../../../src/main/engine/project/checkpoint-manifest'
import { elementCount } from '../../../src/main/engine/project/checkpoint-weights'

function randomArray(rng: Rng, name: string, shape: number[]): NamedArray {
  const bits = new Uint32Array(elementCount(shape))
  for (let i = 0; i < bits.length; i++) bits[i] = rng.nextUint32()
  return { name, shape, data: new Float32Array(bits.buffer) }
}

export function fakeCheckpoint(step: number, size = 20_000): Checkpoint {
  const rng = new Rng(step)
  const shapes: Array<[string, number[]]> = [
    ['encoder/conv1/kernel', [3, 3, 3, Math.max(1, Math.floor(size / 27))]],
    ['encoder/conv1/bias', [7]],
    ['decoder/dense/kernel', [Math.max(1, Math.floor(size / 64)), 64]],
    ['decoder/scale', []]
  ]
  const tensors = shapes.map(([name, shape]) => randomArray(rng, name, shape))
  return {
    step,
    epoch: Math.floor(step / 10),
    beta: (step % 7) / 2,
    targetBeta: 3,
    noiseVariance: 0.0123,
    rngState: rng.state,
    seeds: { split: 11, init: step % 5 },
    tensors,
    optimizer: {
      name: 'adam',
      iterations: step,
      config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      tensors: tensors.flatMap((tensor) => [
        randomArray(rng, `${tensor.name}/m`, tensor.shape),
        randomArray(rng, `${tensor.name}/v`, tensor.shape)
      ])
    },
    meta: { elapsedSec: step * 0.5, valIndices: [step % 13, 4, 8] }
  }
}
