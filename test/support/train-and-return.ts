/**
 * Child process for parallel-trainer.test.ts: trains two steps on two worker threads, then
 * returns — with `dispose()` or, given `--no-dispose`, leaving the idle workers running. Either
 * way the process must end by itself.
 */
import { selectBackend } from '../../src/main/engine/backend/select-backend'
import { VaeModel } from '../../src/main/engine/model/vae-model'
import { Rng } from '../../src/main/engine/random/rng'
import { smallDataset, smallModel } from './small-setup'
import { ParallelTrainer } from '../../src/main/engine/train/parallel/parallel-trainer'
import { initialGaussianVariance } from '../../src/main/engine/model/losses'

async function main(): Promise<void> {
  await selectBackend('wasm')
  const data = smallDataset(16)
  const trainer = await ParallelTrainer.start({
    model: smallModel,
    data,
    learningRate: 1e-3,
    initial: { tensors: new VaeModel(smallModel, 1).weightArrays() },
    workers: 2
  })
  const rng = new Rng(1)
  let loss = 0
  for (let i = 0; i < 2; i++) {
    const rows = Array.from({ length: 8 }, (_, r) => r + i * 8)
    const result = await trainer.step({
      rows,
      eps: new Float32Array(8 * smallModel.latentDim).map(() => rng.normal()),
      beta: 1,
      noiseVariance: initialGaussianVariance
    })
    if ('lost' in result) throw new Error(result.lost)
    loss = result.loss
  }
  if (!process.argv.includes('--no-dispose')) await trainer.dispose()
  process.stdout.write(JSON.stringify({ workers: 2, version: trainer.version, finite: Number.isFinite(loss) }))
}

void main()
