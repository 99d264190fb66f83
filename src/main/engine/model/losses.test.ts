import { describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { klPerDim, minGaussianVariance, reconPerImage, reparameterize, vaeLoss } from './losses'

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
    const bce = reconPerImage(logits, x, 'bce', 1).arraySync()[0]
    expect(bce).toBeCloseTo(3 * Math.log(2) - Math.log(0.75), 5)
    // MSE: (½−1)² + (½)² + 0 + (¾−1)²
    const mse = reconPerImage(logits, x, 'mse', 1).arraySync()[0]
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
    const terms = vaeLoss({ x, logits, mu, logVar, beta: 4, kind: 'bce', noiseVariance: 1 })
    expect(terms.recon.dataSync()[0]).toBeCloseTo(Math.log(2), 5)
    expect(terms.kl.dataSync()[0]).toBeCloseTo(0.25, 6) // (0.5 + 0) / 2
    expect(terms.loss.dataSync()[0]).toBeCloseTo(Math.log(2) + 1, 5)
    expect(terms.squaredError.dataSync()[0]).toBeCloseTo(0.25, 6)
    tf.dispose([x, logits, mu, logVar, terms.loss, terms.recon, terms.kl, terms.squaredError])
    expect(tf.memory().numTensors).toBe(before)
  })
  it('gives the calibrated Gaussian NLL for the σ² it is given, against hand-computed values', () => {
    const before = tf.memory().numTensors
    // x̂ = σ(0) = ½ everywhere; image 0 misses by ½ twice, image 1 not at all: the batch's MSE is ⅛.
    const x = tf.tensor4d([1, 0, 0.5, 0.5], [2, 1, 2, 1])
    const logits = tf.zeros([2, 1, 2, 1]) as tf.Tensor4D
    const perImage = reconPerImage(logits, x, 'gaussian', 1 / 8)
    // D/2·log(2π σ²) + ‖x − x̂‖²/(2σ²), D = 2: log(π/4) + 0.5/0.25, and log(π/4) + 0.
    const [a, b] = Array.from(perImage.dataSync())
    expect(a).toBeCloseTo(Math.log(Math.PI / 4) + 2, 5)
    expect(b).toBeCloseTo(Math.log(Math.PI / 4), 5)
    // Another σ² weighs the same errors otherwise: σ² = ½ gives log(π) + 0.5 and log(π).
    const wider = reconPerImage(logits, x, 'gaussian', 1 / 2)
    const [c, d] = Array.from(wider.dataSync())
    expect(c).toBeCloseTo(Math.log(Math.PI) + 0.5, 5)
    expect(d).toBeCloseTo(Math.log(Math.PI), 5)
    const [mu, logVar] = [tf.zeros([2, 1]) as tf.Tensor2D, tf.zeros([2, 1]) as tf.Tensor2D]
    const terms = vaeLoss({ x, logits, mu, logVar, beta: 3, kind: 'gaussian', noiseVariance: 1 / 8 })
    // At the batch's own MSE the mean of ‖x − x̂‖²/(2σ²) is D/2; that MSE is also the next σ².
    expect(terms.recon.dataSync()[0]).toBeCloseTo(Math.log(Math.PI / 4) + 1, 5)
    expect(terms.loss.dataSync()[0]).toBeCloseTo(Math.log(Math.PI / 4) + 1, 5)
    expect(terms.squaredError.dataSync()[0]).toBeCloseTo(1 / 8, 6)
    tf.dispose([x, logits, mu, logVar, perImage, wider, terms.loss, terms.recon, terms.kl, terms.squaredError])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('floors σ² at e⁻¹²', () => {
    const x = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1])
    const logits = tf.tensor4d([40, -40, 40, -40], [1, 2, 2, 1])
    const recon = reconPerImage(logits, x, 'gaussian', 0).dataSync()[0]
    expect(recon).toBeCloseTo(2 * (Math.log(minGaussianVariance) + Math.log(2 * Math.PI)), 4)
    tf.dispose([x, logits])
  })

  it('holds the given σ² constant in the gradient: ‖x − x̂‖²/(2σ²) per image, averaged', () => {
    const x = tf.tensor4d([0.9, 0.1, 0.4, 0.7, 0.2, 0.3], [2, 1, 3, 1])
    const logits = tf.tensor4d([0.3, -1, 0.2, 2, -0.5, 0.1], [2, 1, 3, 1])
    const variance = 0.03
    const mean = (l: tf.Tensor) => tf.mean(reconPerImage(l as tf.Tensor4D, x, 'gaussian', variance))
    const fixed = (l: tf.Tensor) => tf.div(tf.mean(tf.sum(tf.squaredDifference(tf.sigmoid(l), x), [1, 2, 3])), 2 * variance)
    const [g, h] = [tf.grad(mean)(logits).dataSync(), tf.grad(fixed)(logits).dataSync()]
    g.forEach((v, i) => expect(v).toBeCloseTo(h[i], 5))
    expect(Math.max(...Array.from(h, Math.abs))).toBeGreaterThan(0.1)
    tf.dispose([x, logits])
  })
})
