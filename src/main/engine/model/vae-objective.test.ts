import { afterAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import { defaultModelConfig, type ModelConfig } from '../../../shared/config'
import { selectBackend } from '../backend/select-backend'
import { Rng } from '../random/rng'
import { reparameterize, vaeLoss } from './losses'
import { perceptualPerImage, releasePerceptualNet } from './perceptual-loss'
import { vaeObjective } from './vae-objective'
import { VaeModel } from './vae-model'

const config: ModelConfig = { ...defaultModelConfig, imageSize: 32, channels: 1, latentDim: 4, baseFilters: 8 }

function inputs(seed: number): { x: tf.Tensor4D; eps: tf.Tensor2D } {
  const rng = new Rng(seed)
  const x = tf.tensor4d(Float32Array.from({ length: 3 * 32 * 32 }, () => rng.next()), [3, 32, 32, 1])
  const eps = tf.tensor2d(Float32Array.from({ length: 3 * 4 }, () => rng.normal()), [3, 4])
  return { x, eps }
}

describe('vaeObjective (the one call both training paths make)', () => {
  afterAll(() => releasePerceptualNet())

  it('is exactly the β-VAE loss the training step computed inline, for each reconstruction kind', async () => {
    await selectBackend('wasm')
    for (const recon of ['bce', 'mse', 'gaussian'] as const) {
      const model = new VaeModel({ ...config, recon }, 2)
      const { x, eps } = inputs(1)
      const [ours, inline] = tf.tidy(() => {
        const t = vaeObjective(model, x, eps, 2)
        const { mu, logVar } = model.encode(x)
        const logits = model.decodeLogits(reparameterize(mu, logVar, eps))
        const u = vaeLoss({ x, logits, mu, logVar, beta: 2, kind: recon })
        return [[t.loss, t.recon, t.kl].map((s) => s.dataSync()[0]), [u.loss, u.recon, u.kl].map((s) => s.dataSync()[0])]
      })
      expect(ours).toEqual(inline)
      tf.dispose([x, eps])
      model.dispose()
    }
  })

  it('adds weight × the perceptual term to loss and recon, with gradients to every weight, leaking nothing', async () => {
    await selectBackend('wasm')
    const plain = new VaeModel(config, 2)
    const perceptual = new VaeModel({ ...config, perceptual: 0.5 }, 2)
    const { x, eps } = inputs(3)
    const [a, b, term] = tf.tidy(() => {
      const t = vaeObjective(plain, x, eps, 1)
      const u = vaeObjective(perceptual, x, eps, 1)
      const { mu, logVar } = perceptual.encode(x)
      const logits = perceptual.decodeLogits(reparameterize(mu, logVar, eps))
      const p = tf.mean(perceptualPerImage(x, tf.sigmoid(logits) as tf.Tensor4D))
      return [[t.loss, t.recon, t.kl].map((s) => s.dataSync()[0]), [u.loss, u.recon, u.kl].map((s) => s.dataSync()[0]), p.dataSync()[0]]
    })
    expect(term).toBeGreaterThan(0)
    expect(b[0]).toBeCloseTo(a[0] + 0.5 * term, 2)
    expect(b[1]).toBeCloseTo(a[1] + 0.5 * term, 2)
    expect(b[2]).toBe(a[2])
    const before = tf.memory().numTensors
    const { value, grads } = tf.variableGrads(() => vaeObjective(perceptual, x, eps, 1).loss, perceptual.trainableVariables)
    expect(Object.keys(grads).length).toBe(perceptual.trainableVariables.length)
    tf.dispose([value, ...Object.values(grads)])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([x, eps])
    plain.dispose()
    perceptual.dispose()
  })
})
