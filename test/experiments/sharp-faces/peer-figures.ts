/**
 * The PyTorch peer's figures, from the PNG samples `shared/bench/torch_quality_samples.py` wrote:
 * face Fréchet distance and KID against the same real faces as ours (bench's folderSampleFigures),
 * the spectral grid and sharpness figures, and an 8×8 grid of its first 64 samples in out/.
 *
 *   python3 /work/shared/bench/torch_quality_samples.py /work/shared/datasets/olivetti_faces_64 180 OUTDIR 256 2
 *   npx tsx test/experiments/sharp-faces/peer-figures.ts --samples OUTDIR --name peer-180s [--steps N --log FILE]
 */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import type { RawImage } from '../../../src/shared/images'
import { folderSampleFigures, realFaces } from '../../../src/main/bench/sample-quality-bench'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { FaceEmbedder } from '../../../src/main/engine/quality/face-embedder'
import { sampleRows } from '../../../src/main/engine/quality/faces-shown'
import { datasetImages } from '../../../src/main/engine/quality/reference-faces'
import { spectralFigures } from '../../../src/main/engine/quality/spectrum'
import { writeGrid } from './measure'

const args: Record<string, string> = {}
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1]
const outDir = path.join(__dirname, 'out')

async function main(): Promise<void> {
  await selectBackend('wasm')
  // Imported by sharp-faces-experiment.ts (run it once first).
  const data = await openDataset(path.join(outDir, 'olivetti-64-grey'))
  const files = (await fs.readdir(args.samples)).filter((f) => f.endsWith('.png')).sort()
  const samples: RawImage[] = await Promise.all(
    files.map(async (f) => ({
      width: 64,
      height: 64,
      channels: 1 as const,
      pixels: new Uint8Array(await sharp(path.join(args.samples, f)).greyscale().resize(64, 64).raw().toBuffer())
    }))
  )
  const real = datasetImages(data, sampleRows(data.count, 512, 0))
  const [periodic, wrap] = [spectralFigures(samples, real, { edges: 'periodic' }), spectralFigures(samples, real, { edges: 'wrap' })]
  const embedder = await FaceEmbedder.start({ workers: 2 })
  const faces = await folderSampleFigures(args.samples, 64, await realFaces(embedder, data), embedder)
  await embedder.dispose()
  await writeGrid(samples.slice(0, 64), 8, path.join(outDir, `${args.name}-samples.png`))
  const record = {
    name: args.name,
    kind: 'peer',
    steps: args.steps ? Number(args.steps) : null,
    log: args.log ? (await fs.readFile(args.log, 'utf8')).trim() : null,
    gridPeriodic: periodic.grid,
    sharpnessPeriodic: periodic.sharpness,
    gridWrap: wrap.grid,
    sharpnessWrap: wrap.sharpness,
    frechet: faces.frechet,
    kid: faces.kid,
    floorFrechet: faces.floor.frechet,
    floorKid: faces.floor.kid,
    load: os.loadavg()
  }
  const line = JSON.stringify(record)
  console.log(line)
  await fs.appendFile(path.join(outDir, 'results.jsonl'), line + '\n')
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
