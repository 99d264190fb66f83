import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { useWasm } from '../../../../test/support/small-setup'
import { PatchDiscriminator, initialDiscriminator, topSingularVectors } from './patch-discriminator'

beforeAll(useWasm)

describe('topSingularVectors', () => {
  it('finds σ, u and v of a matrix with a known decomposition', () => {
    // A = 5·u₁v₁ᵀ + 2·u₂v₂ᵀ with orthonormal u's (3-vectors) and v's (2-vectors).
    const u1 = [2 / 3, 2 / 3, 1 / 3]
    const u2 = [2 / 3, -1 / 3, -2 / 3]
    const v1 = [0.6, 0.8]
    const v2 = [0.8, -0.6]
    const a = Float32Array.from({ length: 6 }, (_, k) => {
      const [r, c] = [Math.floor(k / 2), k % 2]
      return 5 * u1[r] * v1[c] + 2 * u2[r] * v2[c]
    })
    const { u, v, sigma } = topSingularVectors(a, 3, 2)
    expect(sigma).toBeCloseTo(5, 5)
    const sign = Math.sign(v[0])
    expect(Array.from(v).map((x) => x * sign)).toEqual(v1.map((x) => expect.closeTo(x, 5)))
    expect(Array.from(u).map((x) => x * sign)).toEqual(u1.map((x) => expect.closeTo(x, 5)))
  })

  it('gives a column vector its norm, and leaves a zero matrix at σ 0', () => {
    expect(topSingularVectors(Float32Array.of(3, 4), 2, 1).sigma).toBeCloseTo(5, 6)
    expect(topSingularVectors(new Float32Array(6), 3, 2).sigma).toBe(0)
  })
})

describe('PatchDiscriminator', () => {
  it('starts from seeded weights: the same seed gives the same ones, another seed others', () => {
    const a = initialDiscriminator(3, 4)
    expect(a.map((t) => `${t.name}:${t.shape}`)).toEqual([
      'discriminator/conv1/kernel:4,4,3,16',
      'discriminator/conv1/bias:16',
      'discriminator/conv2/kernel:4,4,16,32',
      'discriminator/conv2/bias:32',
      'discriminator/conv3/kernel:3,3,32,1',
      'discriminator/conv3/bias:1'
    ])
    expect(initialDiscriminator(3, 4)).toEqual(a)
    expect(initialDiscriminator(3, 5)[0].data).not.toEqual(a[0].data)
  })

  it('scores 16×16 patches of a 64-px image with spectrally normalised kernels, and frees what it made', () => {
    const critic = new PatchDiscriminator(1)
    const weights = initialDiscriminator(1, 2)
    // Scaling every kernel leaves a spectrally normalised network's scores unchanged (biases are 0).
    const scaled = weights.map((t) => ({ ...t, data: t.data.map((x) => x * 7) }))
    const images = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3) as tf.Tensor4D
    const before = tf.memory().numTensors
    const score = (arrays: typeof weights): Float32Array => {
      critic.load(arrays)
      const vectors = critic.singularVectors()
      const logits = tf.tidy(() => critic.apply(images, vectors))
      expect(logits.shape).toEqual([2, 16, 16, 1])
      const values = logits.dataSync() as Float32Array
      tf.dispose([logits, ...vectors.flatMap(({ u, v }) => [u, v])])
      return values
    }
    const plain = score(weights)
    const large = score(scaled)
    large.forEach((x, i) => expect(x).toBeCloseTo(plain[i], 4))
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose(images)
    critic.dispose()
  })
})
