/**
 * The sample figures that need no face embedding (spectral, both edge treatments, and the seam
 * step), recomputed from weights a run saved (out/NAME-STEP.weights.json): for runs measured
 * before a figure existed. Prints one JSON line per file.
 *
 *   npx tsx test/experiments/sharp-faces/refigure.ts out/A-1000.weights.json [more files]
 */
import * as path from 'node:path'
import { selectBackend } from '../../../src/main/engine/backend/select-backend'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { decodeCodes } from '../../../src/main/engine/inference/inference'
import { sampleCodes } from '../../../src/main/engine/inference/inference'
import { sampleRows } from '../../../src/main/engine/quality/faces-shown'
import { datasetImages } from '../../../src/main/engine/quality/reference-faces'
import { spectralFigures } from '../../../src/main/engine/quality/spectrum'
import { sampleCount, seamStep } from './measure'
import { loadWeights } from './saved-weights'

async function main(): Promise<void> {
  await selectBackend('wasm')
  const data = await openDataset(path.join(__dirname, 'out', 'olivetti-64-grey'))
  const real = datasetImages(data, sampleRows(data.count, 512, 0))
  for (const file of process.argv.slice(2)) {
    const model = loadWeights(file)
    const samples = decodeCodes(model, sampleCodes(model.config.latentDim, sampleCount, 1, 0))
    const [p, w] = [spectralFigures(samples, real, { edges: 'periodic' }), spectralFigures(samples, real, { edges: 'wrap' })]
    console.log(
      JSON.stringify({
        file: path.basename(file),
        gridPeriodic: p.grid,
        sharpnessPeriodic: p.sharpness,
        gridWrap: w.grid,
        sharpnessWrap: w.sharpness,
        seamStep: seamStep(samples)
      })
    )
    model.dispose()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
