/**
 * out/results.jsonl as the README's markdown tables: one row per run, step and weights (live or
 * an EMA), then the speed runs and the peer.
 *
 *   npx tsx test/experiments/sharp-faces/summarise.ts [out/results.jsonl]
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'

type Row = Record<string, unknown>
const file = process.argv[2] ?? path.join(__dirname, 'out', 'results.jsonl')
const rows: Row[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Row)

const f = (v: unknown, digits: number): string => (typeof v === 'number' ? v.toFixed(digits) : '—')
const kid = (v: unknown): string => (typeof v === 'number' ? (v * 1000).toFixed(2) : '—')

/** Records before the periodic figures existed carry the plain-FFT ones as grid / sharpness. */
const wrap = (r: Row, key: 'grid' | 'sharpness'): unknown => r[`${key}Wrap`] ?? r[key]
const periodic = (r: Row, key: 'grid' | 'sharpness'): unknown => r[`${key}Periodic`]

console.log(
  '| run | step | weights | grid | sharpness | grid (wrap) | sharpness (wrap) | seam step | FD (floor) | KID×10³ (floor) | identity | PSNR dB | KL | img/s (load) |'
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows.filter((r) => r.kind === 'figures')) {
  const load = Array.isArray(r.load) ? (r.load[0] as number).toFixed(1) : '—'
  console.log(
    `| ${r.name} | ${r.step} | ${r.weights} | ${f(periodic(r, 'grid'), 2)} | ${f(periodic(r, 'sharpness'), 2)} | ${f(wrap(r, 'grid'), 2)} | ${f(wrap(r, 'sharpness'), 2)} | ${f(r.seamStep, 2)} | ${f(r.frechet, 3)} (${f(r.floorFrechet, 3)}) | ${kid(r.kid)} (${kid(r.floorKid)}) | ${f(r.identity, 3)} | ${f(r.psnr, 2)} | ${f(r.kl, 1)} | ${f(r.imgPerSec, 0)} (${load}) |`
  )
}

const speed = rows.filter((r) => r.kind === 'speed')
if (speed.length > 0) {
  console.log('\n| speed run | decoder | recon | perceptual | batch | workers | steps | img/s | load |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of speed) {
    console.log(
      `| ${r.name} | ${r.decoder} | ${r.recon} | ${r.perceptual} | ${r.batch} | ${r.workers} | ${r.steps} | ${f(r.imgPerSec, 1)} | ${Array.isArray(r.load) ? (r.load[0] as number).toFixed(1) : '—'} |`
    )
  }
}

const peer = rows.filter((r) => r.kind === 'peer')
if (peer.length > 0) {
  console.log('\n| peer | log | grid | sharpness | grid (wrap) | sharpness (wrap) | FD (floor) | KID×10³ (floor) |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of peer) {
    console.log(
      `| ${r.name} | ${r.log ?? ''} | ${f(periodic(r, 'grid'), 2)} | ${f(periodic(r, 'sharpness'), 2)} | ${f(wrap(r, 'grid'), 2)} | ${f(wrap(r, 'sharpness'), 2)} | ${f(r.frechet, 3)} (${f(r.floorFrechet, 3)}) | ${kid(r.kid)} (${kid(r.floorKid)}) |`
    )
  }
}
