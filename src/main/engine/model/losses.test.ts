import { describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { klPerDim, reconPerImage, reparameterize, vaeLoss } from './losses'

describe('β-VAE loss terms', () => {
  it('computes KL per dimension against hand-computed values', () => {
    const mu = tf.tensor2d([[0, 1, -2]])
    const logVar = tf.tensor2d([[0, 0, Math.log(4)]])
    // dim0: N(0,1) → 0; dim1: ½μ² = 0.5; dim2: −½(1 + ln4 − 4 − 4) = 3.5 − ln2
    const kl = klPerDim(mu, logVar).arraySync()[0]
    expect(kl[0]).toBeCloseTo(0, 6)
    expect(kl[1]).toBeCloseTo(0.5, 6)
    expect(kl[2]).toBeCloseTo(3.5 - Math.log(2), 5)
    tf.dispose([mu, logVar])
  })

  it('sums BCE-from-logits and MSE over pixels, per image', () => {
    const x = tf.tensor4d([1, 0, 0.5, 1], [1, 2, 2, 1])
    const logits = tf.tensor4d([0, 0, 0, Math.log(3)], [1, 2, 2, 1])
    // BCE(x, σ(l)) = −x ln σ(l) − (1−x) ln(1−σ(l)); σ(0) = ½ → ln2 each; σ(ln3) = ¾ → −ln ¾
    const bce = reconPerImage(logits, x, 'bce').arraySync()[0]
    expect(bce).toBeCloseTo(3 * Math.log(2) - Math.log(0.75), 5)
    // MSE: (½−1)² + (½)² + 0 + (¾−1)²
    const mse = reconPerImage(logits, x, 'mse').arraySync()[0]
    expect(mse).toBeCloseTo(0.25 + 0.25 + 0 + 0.0625, 6)
    tf.dispose([x, logits])
  })

  it('reparameterises as μ + σ·ε with the right sample statistics', () => {
    const n = 20000
    const mu = tf.fill([n, 1], 2) as tf.Tensor2D
    const logVar = tf.fill([n, 1], Math.log(9)) as tf.Tensor2D
    const eps = tf.randomNormal([n, 1], 0, 1, 'float32', 42) as tf.Tensor2D
    const z = reparameterize(mu, logVar, eps)
    const { mean, variance } = tf.moments(z)
    expect(mean.dataSync()[0]).toBeCloseTo(2, 1)
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(3, 1)
    const exact = reparameterize(tf.tensor2d([[1]]), tf.tensor2d([[Math.log(4)]]), tf.tensor2d([[0.5]]))
    expect(exact.dataSync()[0]).toBeCloseTo(1 + 2 * 0.5, 6)
    tf.dispose([mu, logVar, eps, z, mean, variance, exact])
  })

  it('combines terms as recon + β·KL averaged over the batch, without leaking tensors', () => {
    const before = tf.memory().numTensors
    const x = tf.zeros([2, 1, 1, 1]) as tf.Tensor4D
    const logits = tf.zeros([2, 1, 1, 1]) as tf.Tensor4D
    const mu = tf.tensor2d([[1], [0]])
    const logVar = tf.zeros([2, 1]) as tf.Tensor2D
    const terms = vaeLoss({ x, logits, mu, logVar, beta: 4, kind: 'bce' })
    expect(terms.recon.dataSync()[0]).toBeCloseTo(Math.log(2), 5)
    expect(terms.kl.dataSync()[0]).toBeCloseTo(0.25, 6) // (0.5 + 0) / 2
    expect(terms.loss.dataSync()[0]).toBeCloseTo(Math.log(2) + 1, 5)
    tf.dispose([x, logits, mu, logVar, terms.loss, terms.recon, terms.kl])
    expect(tf.memory().numTensors).toBe(before)
  })
})
