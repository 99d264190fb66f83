/**
 * How big the perceptual term is beside the pixel terms, on a trained model's held-out
 * reconstructions: per-image values and the norms of their gradients with respect to the
 * reconstruction, so its weight can be chosen as a share of the pixel term's pull (not guessed).
 * Also the cost of the term per 32-image batch (forward + backward, this thread).
 *
 *   npx tsx test/experiments/sharp-faces/calibrate-perceptual.ts out/NAME-STEP.weights.json
 */
import * as path from 'node:path'
import * as tf from '../../../src/main/engine/tf'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { reconPerImage } from '../../../src/main/engine/model/losses'
import { perceptualPerImage } from '../../../src/main/engine/model/perceptual-loss'
import { buildBatch } from '../../../src/main/engine/train/batch-builder'
import { splitIndices } from '../../../src/main/engine/train/data-split'
import { loadWeights } from './saved-weights'

async function main(): Promise<void> {
  await selectBackend('wasm')
  const model = loadWeights(process.argv[2])
  const data = await openDataset(path.join(__dirname, 'out', 'olivetti-64-grey'))
  const rows = splitIndices(data.count, 0.1, 1).val.slice(0, 32)
  const x = tf.tensor4d(buildBatch(data, rows), [rows.length, 64, 64, 1])
  const logits = tf.tidy(() => model.decodeLogits(model.encode(x).mu))
  const terms = {
    bce: (l: tf.Tensor) => tf.mean(reconPerImage(l as tf.Tensor4D, x, 'bce')),
    gaussian: (l: tf.Tensor) => tf.mean(reconPerImage(l as tf.Tensor4D, x, 'gaussian')),
    perceptual: (l: tf.Tensor) => tf.mean(perceptualPerImage(x, tf.sigmoid(l) as tf.Tensor4D))
  }
  for (const [name, term] of Object.entries(terms)) {
    const [value, gradNorm] = tf.tidy(() => [term(logits).dataSync()[0], tf.norm(tf.grad(term)(logits)).dataSync()[0]])
    console.log(JSON.stringify({ term: name, perImage: value, gradNormWrtLogits: gradNorm }))
  }
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    tf.tidy(() => tf.grad(terms.perceptual)(logits).dataSync())
    times.push(performance.now() - t0)
  }
  console.log(JSON.stringify({ perceptualForwardBackwardMs: Math.min(...times), load: (await import('node:os')).loadavg()[0] }))
  tf.dispose([x, logits])
  model.dispose()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
