/**
 * CPU time of one training step's decoder (forward + gradients, batch 32, 64 px grey) per decoder
 * kind, on this process's one thread: CPU time, not wall time, so a busy machine changes it little.
 *   npx tsx test/experiments/sharp-faces/decoder-cost.ts [kinds,...]
 */
import { defaultModelConfig, decoderKinds, modelConfigSchema } from '../../../src/shared/config'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { decoder, encoder } from '../../../src/main/engine/model/build-vae'
import * as tf from '../../../src/main/engine/tf'

const kinds = process.argv[2] ? process.argv[2].split(',') : [...decoderKinds]

function cpuMs(run: () => void, reps: number): number {
  const times: number[] = []
  for (let r = 0; r < reps; r++) {
    const start = process.cpuUsage()
    run()
    const used = process.cpuUsage(start)
    times.push((used.user + used.system) / 1000)
  }
  return Math.min(...times)
}

async function main(): Promise<void> {
  await selectBackend('wasm')
  const base = { ...defaultModelConfig, imageSize: 64, channels: 1, latentDim: 32 }
  const z = tf.randomNormal([32, 32]) as tf.Tensor2D
  const x = tf.randomNormal([32, 64, 64, 1]) as tf.Tensor4D
  const enc = encoder(modelConfigSchema.parse({ ...base, decoder: 'transposed-3x3' }))
  const encStep = (): void => {
    const g = tf.variableGrads(() => tf.sum(tf.square((enc.apply(x) as tf.Tensor[])[0])) as tf.Scalar)
    tf.dispose([g.value, ...Object.values(g.grads)])
  }
  encStep()
  console.log(`encoder: ${cpuMs(encStep, 5).toFixed(0)} cpu-ms`)
  for (const kind of kinds) {
    const dec = decoder(modelConfigSchema.parse({ ...base, decoder: kind }))
    const step = (): void => {
      const g = tf.variableGrads(
        () => tf.sum(tf.square(dec.apply(z) as tf.Tensor)) as tf.Scalar,
        dec.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)
      )
      tf.dispose([g.value, ...Object.values(g.grads)])
    }
    step()
    console.log(`${kind}: ${cpuMs(step, 5).toFixed(0)} cpu-ms (params ${dec.countParams()})`)
    dec.dispose()
  }
}
void main()
