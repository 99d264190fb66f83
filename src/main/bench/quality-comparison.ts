/**
 * `bench --quality`: ours (the default, the calibrated Gaussian at β 16, the same sharpened, and
 * binary cross-entropy at β 1 with each decoder shipped) and the PyTorch peer, each trained for the same
 * wall-clock budgets on every core, then measured the same way: held-out PSNR from μ, and prior
 * samples' face Fréchet distance, KID, sharpness and grid against the same real faces (the peer's
 * samples are its PNGs), with the identity of held-out reconstructions for ours.
 */
import { promises as fs } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import * as path from 'node:path'
import { decoderKinds, defaultDecoder, defaultRecon, suggestedSharpen } from '../../shared/config'
import { suggestedBeta } from '../../shared/model-choices'
import { FaceEmbedder } from '../engine/quality/face-embedder'
import { peerScript, runTorchQualityPeer } from './peer'
import { benchQuality, type QualityBenchOptions, type QualityFigures } from './quality-bench'
import { benchSamples, folderSampleFigures, formatSampleFigures, type RealFaces, type SampleFigures } from './sample-quality-bench'

/**
 * Our options compared: the default (the σ-VAE at β 16, measured best of 1, 4, 16 at 1000 steps),
 * the default sharpened (from its default step), and each decoder with BCE at its β.
 */
const defaults = { decoder: defaultDecoder, recon: defaultRecon, beta: suggestedBeta[defaultRecon] }
const ours: ReadonlyArray<{ who: string } & Pick<QualityBenchOptions, 'decoder' | 'recon' | 'beta' | 'sharpen'>> = [
  { who: `${defaultRecon} β ${suggestedBeta[defaultRecon]} (default)`, ...defaults },
  { who: `sharpen ${suggestedSharpen}`, ...defaults, sharpen: suggestedSharpen },
  ...decoderKinds.map((decoder) => ({ who: `${decoder} BCE`, decoder, recon: 'bce' as const, beta: suggestedBeta.bce }))
]

export interface QualityRow {
  /** A decoder kind, an option's name, or 'peer'. */
  who: string
  seconds: number
  steps: number
  imgPerSec: number
  psnr: number
  samples: SampleFigures | { skipped: string }
}

export interface QualityComparison {
  cores: number
  rows: QualityRow[]
  text: string
}

export async function compareQuality(options: {
  root: string
  faces: string
  budgets: readonly number[]
  peer: boolean
  say(text: string): void
}): Promise<QualityComparison> {
  const { root, faces, budgets, say } = options
  const cores = availableParallelism()
  const embedder = await FaceEmbedder.start({ workers: cores })
  const rows: QualityRow[] = []
  try {
    for (const seconds of budgets) {
      let real: RealFaces | null = null
      for (const { who, ...option } of ours) {
        say(`quality: ${who} trains on ${cores} worker threads for ${seconds} s…`)
        const figures: QualityFigures = await benchQuality(faces, seconds, {
          workers: cores,
          ...option,
          sampleMetrics: { embedder, keep: (r) => (real = r) }
        })
        rows.push({ who, seconds, steps: figures.steps, imgPerSec: figures.imgPerSec, psnr: figures.psnr, samples: figures.samples! })
      }
      rows.push(await peerRow(root, faces, seconds, cores, options.peer, real, embedder, say))
    }
  } finally {
    await embedder.dispose()
  }
  return { cores, rows, text: formatComparison(rows, cores) }
}

/** The sample-writing peer trains exactly like torch_quality.py (it runs it), then writes PNGs. */
async function peerRow(
  root: string,
  faces: string,
  seconds: number,
  threads: number,
  run: boolean,
  real: RealFaces | null,
  embedder: FaceEmbedder,
  say: (text: string) => void
): Promise<QualityRow> {
  const script = run ? peerScript(root, 'torch_quality_samples.py') : null
  const skipped = (why: string): QualityRow => ({ who: 'peer', seconds, steps: 0, imgPerSec: 0, psnr: NaN, samples: { skipped: why } })
  if (!script) return skipped(run ? 'torch_quality_samples.py not found' : 'not run (--no-peer)')
  if (!real) return skipped('no real faces to compare with')
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-bench-peer-samples-'))
  try {
    say(`quality: the PyTorch peer trains on ${threads} threads for ${seconds} s…`)
    const theirs = runTorchQualityPeer(script, faces, seconds, { dir, count: benchSamples, threads })
    if ('skipped' in theirs) return skipped(theirs.skipped)
    const samples = await folderSampleFigures(dir, 64, real, embedder)
    return { who: 'peer', seconds, steps: theirs.steps, imgPerSec: theirs.imgPerSec, psnr: theirs.psnr, samples }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

function formatComparison(rows: readonly QualityRow[], cores: number): string {
  const lines = [
    `quality on ${cores} cores (samples at temperature 1, codes fitted to the faces' codes for ours, against the real faces; held-out PSNR from μ):`
  ]
  for (const r of rows) {
    const label = `${r.who.padEnd(15)} ${String(r.seconds).padStart(4)} s`
    if ('skipped' in r.samples) lines.push(`  ${label}  skipped: ${r.samples.skipped}`)
    else
      lines.push(
        `${formatSampleFigures(label, r.samples)}; PSNR ${r.psnr.toFixed(2)} dB, ${r.steps} steps, ${r.imgPerSec.toFixed(0)} img/s`
      )
  }
  return lines.join('\n')
}
