/**
 * One row of `bench --quality` alone (the whole comparison at 600 s takes most of an hour):
 *   npx tsx test/experiments/sharp-faces/one-quality-row.ts --seconds 600 [--sharpen 0.75 [--sharpen-after 1000]] [--lr 0.002] [--encoder-filters 32]
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { benchQuality } from '../../../src/main/bench/quality-bench'
import { formatSampleFigures } from '../../../src/main/bench/sample-quality-bench'
import { parseArgs } from '../parse-args'

const args = parseArgs(process.argv.slice(2))

async function main(): Promise<void> {
  await selectBackend('wasm')
  const seconds = Number(args.seconds ?? 180)
  const cores = os.availableParallelism()
  const embedder = await FaceEmbedder.start({ workers: cores })
  const faces = path.resolve(__dirname, '../../../../shared/datasets/olivetti_faces_64')
  const figures = await benchQuality(faces, seconds, {
    workers: cores,
    sharpen: Number(args.sharpen ?? 0),
    sharpenAfter: args['sharpen-after'] === undefined ? undefined : Number(args['sharpen-after']),
    learningRate: args.lr === undefined ? undefined : Number(args.lr),
    encoderFilters: args['encoder-filters'] === undefined ? undefined : Number(args['encoder-filters']),
    sampleMetrics: { embedder, keep: () => undefined }
  })
  const option = args.sharpen ? `sharpen ${args.sharpen} from ${args['sharpen-after'] ?? 'default'}` : 'default'
  const label = `${option}${args.lr ? `, lr ${args.lr}` : ''}${args['encoder-filters'] ? `, encoder ${args['encoder-filters']}` : ''} ${seconds} s`
  console.log(
    `${formatSampleFigures(label, figures.samples!)}; PSNR ${figures.psnr.toFixed(2)} dB, ${figures.steps} steps, ${figures.imgPerSec.toFixed(0)} img/s`
  )
  await embedder.dispose()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
