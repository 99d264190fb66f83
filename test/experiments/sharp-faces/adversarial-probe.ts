/**
 * Does an adversarial "sharpen" term earn its place? A probe before any product code: continue a
 * trained Gaussian β-VAE (the warm-up: it has learned the faces) for more steps on the engine
 * thread, with and without a patch discriminator's hinge loss on its reconstructions, and measure
 * both alike (measure.ts) at equal steps.
 *
 * The recipe is VQGAN's (Esser et al. 2021): a small patch discriminator (3 convolutions, 16×16
 * patch logits, spectral norm by one power iteration per step), hinge loss, the generator's term
 * −mean D(x̂) weighed by the adaptive λ = w · ‖∇ rec‖ / ‖∇ adv‖, here measured at the decoder's
 * output (the logits) the step before, ramped in over the first 100 steps.
 *
 *   npx tsx test/experiments/sharp-faces/adversarial-probe.ts --name adv0.5 --from out/gauss16-lagged-1000.weights.json
 *     --weight 0.5 [--prior 1: also judge prior samples] [--width 32: the discriminator's first layer] [--beta 16] [--steps 500,1000] [--disc-lr 4e-4]
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as tf from '../../../src/main/engine/tf'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { reparameterize, vaeLoss } from '../../../src/main/engine/model/losses'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { Rng } from '../../../src/main/engine/random/rng'
import { buildBatch } from '../../../src/main/engine/train/batch-builder'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { measureContext, measureModel } from './measure'
import { olivetti, outDir } from './olivetti'
import { loadWeights, saveWeights } from './saved-weights'
import { parseArgs } from '../parse-args'

const args = parseArgs(process.argv.slice(2))
const name = args.name ?? 'adv'
const targets = (args.steps ?? '500,1000').split(',').map(Number)
const weight = Number(args.weight ?? 0.5)
const beta = Number(args.beta ?? 16)
/** VAE-GAN's variant (Larsen et al. 2016): the discriminator also judges decoded prior samples. */
const judgePrior = args.prior === '1'
const discWidth = Number(args.width ?? 32)
const batchSize = 32
const rampSteps = 100

/** A patch discriminator: 64² → 32² (`width` ch) → 16² (2·`width` ch) → 16² logits, spectral-normalised kernels. */
class PatchDiscriminator {
  readonly kernels: tf.Variable[]
  readonly biases: tf.Variable[]
  /** Each kernel's right singular vector estimate, carried from step to step. */
  private readonly v: tf.Tensor1D[]
  private u: tf.Tensor1D[] = []

  constructor(channels: number, width: number, rng: Rng) {
    const shapes: [number, number, number, number][] = [
      [4, 4, channels, width],
      [4, 4, width, 2 * width],
      [3, 3, 2 * width, 1]
    ]
    this.kernels = shapes.map((s) => {
      const limit = Math.sqrt(6 / (s[0] * s[1] * (s[2] + s[3])))
      const values = Float32Array.from({ length: s.reduce((a, b) => a * b) }, () => (rng.next() * 2 - 1) * limit)
      return tf.variable(tf.tensor4d(values, s))
    })
    this.biases = shapes.map((s) => tf.variable(tf.zeros([s[3]])))
    this.v = shapes.map((s) => tf.keep(tf.div(tf.ones([s[3]]), Math.sqrt(s[3])) as tf.Tensor1D))
  }

  get variables(): tf.Variable[] {
    return [...this.kernels, ...this.biases]
  }

  /** One power iteration per kernel, outside any gradient tape: u and v are constants to the step. */
  powerIteration(): void {
    const next = this.kernels.map((k, i) =>
      tf.tidy(() => {
        const w = tf.reshape(k, [-1, k.shape[3]!]) as tf.Tensor2D
        const u = normalise(tf.reshape(tf.matMul(w, tf.expandDims(this.v[i], 1)), [-1]) as tf.Tensor1D)
        const v = normalise(tf.reshape(tf.matMul(tf.expandDims(u, 0), w), [-1]) as tf.Tensor1D)
        return [u, v]
      })
    )
    tf.dispose([...this.u, ...this.v])
    this.u = next.map(([u]) => u)
    next.forEach(([, v], i) => (this.v[i] = v))
  }

  /** Patch logits of images in [0, 1]. */
  apply(images: tf.Tensor4D): tf.Tensor4D {
    let h: tf.Tensor4D = tf.sub(tf.mul(images, 2), 1)
    this.kernels.forEach((k, i) => {
      const w = tf.reshape(k, [-1, k.shape[3]!]) as tf.Tensor2D
      const sigma = tf.sum(tf.mul(tf.expandDims(this.u[i], 1), tf.matMul(w, tf.expandDims(this.v[i], 1))))
      const stride = i < 2 ? 2 : 1
      h = tf.add(tf.conv2d(h, tf.div(k, sigma) as tf.Tensor4D, stride, 'same'), this.biases[i])
      if (i < 2) h = tf.leakyRelu(h, 0.2)
    })
    return h
  }
}

function normalise(v: tf.Tensor1D): tf.Tensor1D {
  return tf.div(v, tf.add(tf.norm(v), 1e-12))
}

/** An identity whose backward pass records the norm of the gradient through it. */
function gradientNormProbe(record: (norm: tf.Scalar) => void): (x: tf.Tensor4D) => tf.Tensor4D {
  const probe = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = inputs[0] as tf.Tensor
    return {
      value: tf.clone(x),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const gradient = dy as tf.Tensor
        record(tf.keep(tf.norm(gradient) as tf.Scalar))
        return gradient
      }
    }
  })
  return (x) => probe(x) as tf.Tensor4D
}

async function main(): Promise<void> {
  await selectBackend('wasm')
  const data = await olivetti()
  const { train, val } = splitIndices(data.count, 0.1, 1)
  const vae = loadWeights(path.resolve(args.from))
  const { imageSize: size, channels, latentDim } = vae.config
  // Batches and their noise come from `rng` alone, so every arm draws the same ones.
  const rng = new Rng(7)
  const discRng = new Rng(8)
  const disc = weight > 0 ? new PatchDiscriminator(channels, discWidth, discRng) : null
  const vaeOptimizer: tf.Optimizer = tf.train.adam(1e-3)
  const discOptimizer: tf.Optimizer = tf.train.adam(Number(args['disc-lr'] ?? 4e-4), 0.5, 0.9)

  const embedder = await FaceEmbedder.start({ workers: 1 })
  const ctx = await measureContext(data, val, embedder)

  let noiseVariance = 0.005
  let lambda = 0
  const started = performance.now()
  let trainMs = 0
  for (let step = 1; step <= Math.max(...targets); step++) {
    const t0 = performance.now()
    const picked = Array.from({ length: batchSize }, () => train[rng.int(train.length)])
    const flips = picked.map(() => rng.next() < 0.5)
    const eps = Float32Array.from({ length: batchSize * latentDim }, () => rng.normal())
    const x = tf.tensor4d(buildBatch(data, picked, flips), [batchSize, size, size, channels])
    const epsT = tf.tensor2d(eps, [batchSize, latentDim])
    const priorCodes = judgePrior
      ? tf.tensor2d(
          Float32Array.from({ length: batchSize * latentDim }, () => discRng.normal()),
          [batchSize, latentDim]
        )
      : null
    const ramp = Math.min(1, step / rampSteps)
    const adversarialWeight = Math.max(lambda * ramp, 1e-8)
    let recNorm: tf.Scalar | undefined
    let advNorm: tf.Scalar | undefined
    let fake: tf.Tensor4D | undefined
    let fakePrior: tf.Tensor4D | undefined
    let scalars: tf.Tensor1D | undefined
    disc?.powerIteration()
    const vaeStep = tf.variableGrads(() => {
      const { mu, logVar } = vae.encode(x)
      const logits = vae.decodeLogits(reparameterize(mu, logVar, epsT))
      const recLogits = disc ? gradientNormProbe((n) => (recNorm = n))(logits) : logits
      const terms = vaeLoss({ x, logits: recLogits, mu, logVar, beta, kind: vae.config.recon, noiseVariance })
      if (!disc) {
        scalars = tf.keep(tf.stack([terms.loss, terms.squaredError, tf.scalar(0)]) as tf.Tensor1D)
        return terms.loss
      }
      const images = tf.sigmoid(gradientNormProbe((n) => (advNorm = n))(logits)) as tf.Tensor4D
      fake = tf.keep(tf.clone(images))
      let generatorLoss = tf.neg(tf.mean(disc.apply(images))) as tf.Scalar
      if (priorCodes) {
        const priorImages = tf.sigmoid(vae.decodeLogits(priorCodes)) as tf.Tensor4D
        fakePrior = tf.keep(tf.clone(priorImages))
        generatorLoss = tf.sub(generatorLoss, tf.mean(disc.apply(priorImages))) as tf.Scalar
      }
      scalars = tf.keep(tf.stack([terms.loss, terms.squaredError, generatorLoss]) as tf.Tensor1D)
      return tf.add(terms.loss, tf.mul(adversarialWeight, generatorLoss)) as tf.Scalar
    }, vae.trainableVariables)
    vaeOptimizer.applyGradients(vaeStep.grads)
    tf.dispose([vaeStep.value, ...Object.values(vaeStep.grads)])
    let discLoss = 0
    if (disc && fake) {
      const fakes = fakePrior ? [fake, fakePrior] : [fake]
      const discStep = tf.variableGrads(() => {
        const realHinge = tf.mean(tf.relu(tf.sub(1, disc.apply(x))))
        const fakeHinge = tf.addN(fakes.map((f) => tf.mean(tf.relu(tf.add(1, disc.apply(f))))))
        return tf.add(realHinge, tf.div(fakeHinge, fakes.length)) as tf.Scalar
      }, disc.variables)
      discOptimizer.applyGradients(discStep.grads)
      discLoss = (await discStep.value.data())[0]
      tf.dispose([discStep.value, ...Object.values(discStep.grads), ...fakes])
    }
    const [loss, squaredError, generatorLoss] = await scalars!.data()
    noiseVariance = squaredError
    if (recNorm && advNorm) {
      const rec = (await recNorm.data())[0]
      const adv = (await advNorm.data())[0] / adversarialWeight
      lambda = Math.min(1e4, (weight * rec) / (adv + 1e-4))
    }
    tf.dispose([x, epsT, priorCodes, scalars, recNorm, advNorm].filter((t) => t != null) as tf.Tensor[])
    trainMs += performance.now() - t0
    if (step % 50 === 0) {
      console.error(
        `${name} step ${step} loss ${loss.toFixed(1)} mse ${squaredError.toFixed(5)} G ${generatorLoss.toFixed(3)} D ${discLoss.toFixed(3)} λ ${lambda.toFixed(1)} ` +
          `${((step * batchSize) / (trainMs / 1000)).toFixed(1)} img/s tensors ${tf.memory().numTensors}`
      )
    }
    if (!Number.isFinite(loss)) throw new Error(`${name}: loss ${loss} at step ${step}`)
    if (targets.includes(step)) {
      await saveWeights(vae, path.join(outDir, `${name}-${step}.weights.json`))
      const figures = await measureModel(vae, ctx, path.join(outDir, `${name}-${step}`))
      const line = JSON.stringify({
        name,
        kind: 'adversarial-probe',
        from: args.from,
        weight,
        judgePrior,
        discWidth,
        step,
        imgPerSec: (step * batchSize) / (trainMs / 1000),
        wallS: (performance.now() - started) / 1000,
        load: os.loadavg(),
        ...figures
      })
      console.log(line)
      await fs.appendFile(path.join(outDir, 'results.jsonl'), line + '\n')
    }
  }
  await embedder.dispose()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
