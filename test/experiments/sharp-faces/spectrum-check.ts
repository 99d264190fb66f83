/**
 * What the spectral figures say about known faults painted on the real faces (no model): blur of
 * three strengths, 16-px seams, a faint checkerboard, blur + seams. A figure that calls blur a
 * grid, or does not see painted seams, measures something else; both edge treatments are shown.
 *
 *   npx tsx test/experiments/sharp-faces/spectrum-check.ts   (after one experiment run imported Olivetti)
 */
import * as path from 'node:path'
import { openDataset } from '../../../src/main/engine/dataset/open-dataset'
import { sampleRows } from '../../../src/main/engine/quality/faces-shown'
import { datasetImages } from '../../../src/main/engine/quality/reference-faces'
import { spectralFigures, type SpectrumImage } from '../../../src/main/engine/quality/spectrum'

type Pixel = (y: number, x: number) => number

function edit(images: SpectrumImage[], f: (p: Pixel, y: number, x: number) => number): SpectrumImage[] {
  return images.map((img) => {
    const p: Pixel = (y, x) => img.pixels[Math.min(63, Math.max(0, y)) * 64 + Math.min(63, Math.max(0, x))]
    const pixels = new Uint8Array(64 * 64)
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) pixels[y * 64 + x] = Math.max(0, Math.min(255, Math.round(f(p, y, x))))
    return { width: 64, height: 64, channels: 1, pixels }
  })
}

const kernel =
  (weights: number[]) =>
  (p: Pixel, y: number, x: number): number => {
    const r = (weights.length - 1) / 2
    const total = weights.reduce((a, b) => a + b) ** 2
    let sum = 0
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) sum += weights[dy + r] * weights[dx + r] * p(y + dy, x + dx)
    return sum / total
  }
const seams = (p: Pixel, y: number, x: number): number => p(y, x) - (x % 16 === 8 || y % 16 === 8 ? 6 : 0)

async function main(): Promise<void> {
  const data = await openDataset(path.join(__dirname, 'out', 'olivetti-64-grey'))
  const real = datasetImages(data, sampleRows(data.count, 512, 0))
  const cases: [string, SpectrumImage[]][] = [
    ['light blur [1 6 1]²/64', edit(real, kernel([1, 6, 1]))],
    ['3×3 box blur', edit(real, kernel([1, 1, 1]))],
    ['5×5 binomial blur', edit(real, kernel([1, 4, 6, 4, 1]))],
    ['5×5 box blur', edit(real, kernel([1, 1, 1, 1, 1]))],
    ['seams −6 at 8 mod 16', edit(real, seams)],
    ['checkerboard ±3', edit(real, (p, y, x) => p(y, x) + ((x + y) % 2 ? 3 : -3))],
    ['5×5 binomial + seams', edit(edit(real, kernel([1, 4, 6, 4, 1])), seams)]
  ]
  console.log('| painted on the real faces | grid (periodic) | sharpness (periodic) | grid (wrap) | sharpness (wrap) |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const [name, images] of cases) {
    const [p, w] = [spectralFigures(images, real, { edges: 'periodic' }), spectralFigures(images, real, { edges: 'wrap' })]
    console.log(`| ${name} | ${p.grid.toFixed(2)} | ${p.sharpness.toFixed(2)} | ${w.grid.toFixed(2)} | ${w.sharpness.toFixed(2)} |`)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
