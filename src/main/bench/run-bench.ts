/**
 * `npm run bench`: speed figures, never pass/fail. Prints ours and, when Debian's python3-torch is
 * installed, the PyTorch CPU peer's, with the ratios. `--json` prints one object whose field names
 * scripts rely on: trainImgPerSec (all workers), trainImgPerSecOneWorker, decode1Ms, decode64Ms,
 * roundTripDecode1Ms, roundTripDecode1DuringTrainP50Ms/P95Ms, importImgPerSec, faceImportImgPerSec
 * (+ peer, ratios, and quality when asked for).
 *
 * This is the bench's one entry: the CLI's `bench` command reads the command line and calls
 * `runBench`; nothing here knows about the command line.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { selectBackend, type BackendChoice } from '../engine/backend/select-backend'
import { benchImport } from './import-bench'
import { benchModel } from './model-bench'
import { peerScript, runTorchPeer } from './peer'
import { benchFaceImport } from '../engine/faces/face-bench'
import { compareQuality } from './quality-comparison'
import { benchRoundTrip } from './roundtrip-bench'
import { soak } from './soak'

export interface BenchOptions {
  /** The package folder: the peer's scripts and the face sets beside it are found from here. */
  root: string
  /** Training steps timed. */
  steps: number
  /** Generated JPEGs imported. */
  importFiles: number
  /** Runs the PyTorch peer where it is installed. */
  peer: boolean
  /** Held-out and sample quality after each budget of `seconds` of training on `faces` (default: the Olivetti faces). */
  quality: { seconds: number[]; faces?: string } | null
  /** Minutes of training and decoding while memory is watched. */
  soakMinutes?: number
  backend: BackendChoice
  /** Where progress lines go (the CLI sends them to stderr, so --json prints one object). */
  say(text: string): void
}

/** The figures (field names scripts rely on) and the same as text for a person. */
export interface BenchReport {
  result: Record<string, unknown>
  text: string
}

/** A face set in the datasets folder: VAE_STUDIO_DATASETS, else ../shared/datasets beside the package. */
const faceSetPath = (root: string, name: string) =>
  path.join(process.env.VAE_STUDIO_DATASETS ?? path.join(root, '..', 'shared', 'datasets'), name)
const defaultFaces = (root: string) => faceSetPath(root, 'olivetti_faces_64')

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { root, steps, importFiles, soakMinutes, say } = options
  const noPeer = !options.peer
  const backend = await selectBackend(options.backend)

  // Import first, while the process holds nothing else: its peak RSS is then the import's own.
  say(`importing ${importFiles} generated 250×250 face JPEGs…`)
  const imported = await benchImport(importFiles)
  const orl = faceSetPath(root, 'orl_faces')
  const faceImport = existsSync(orl) ? await benchFaceImport({ facesFolder: orl, onProgress: (text) => say(`face import: ${text}`) }) : null
  if (!faceImport) say(`face import: skipped (the photos are made from the ORL faces, not found at ${orl})`)
  say(`backend ${backend.name}: timing ${steps} training steps of the default 64-px model (batch 64)…`)
  const model = await benchModel({ steps })
  say('timing decodes through the WebSocket, host and engine process…')
  const roundTrip = await benchRoundTrip()
  const speedScript = noPeer ? null : peerScript(root, 'torch_vae.py')
  if (speedScript) say('running the PyTorch CPU peer (1 thread)…')
  const peerRun = speedScript ? runTorchPeer(speedScript, 1) : { skipped: noPeer ? 'not run (--no-peer)' : 'peer script not found' }
  const peer = 'skipped' in peerRun ? null : peerRun

  const quality = options.quality
    ? await compareQuality({
        root,
        faces: path.resolve(options.quality.faces ?? defaultFaces(root)),
        budgets: options.quality.seconds,
        peer: options.peer,
        say
      })
    : null

  let soaked: Awaited<ReturnType<typeof soak>> | null = null
  if (soakMinutes !== undefined) {
    say(`soak: training and decoding for ${soakMinutes} min…`)
    let minute = 0
    soaked = await soak({
      minutes: soakMinutes,
      onProgress: (p) => {
        if (p.seconds < (minute + 1) * 60) return
        minute = Math.floor(p.seconds / 60)
        say(`  ${minute} min: ${p.steps} steps, ${p.decodes} decodes`)
      }
    })
  }

  const ratios = peer
    ? {
        train: model.trainImgPerSec / peer.trainImgPerSec,
        decode1: peer.decode1Ms / model.decode1Ms,
        decode64: peer.decode64Ms / model.decode64Ms,
        decode64OneCore: peer.decode64Ms / model.decode64OneCoreMs
      }
    : null
  const result = {
    backend: backend.name,
    trainImgPerSec: model.trainImgPerSec,
    trainImgPerSecOneWorker: model.trainImgPerSecOneWorker,
    trainWorkers: model.trainWorkers,
    trainImgPerSecEngineThread: model.trainImgPerSecEngineThread,
    trainStepMs: model.trainStepMs,
    decode1Ms: model.decode1Ms,
    decode64Ms: model.decode64Ms,
    decode64OneCoreMs: model.decode64OneCoreMs,
    roundTripDecode1Ms: roundTrip.roundTripDecode1Ms,
    roundTripDecode1P95Ms: roundTrip.roundTripDecode1P95Ms,
    roundTripDecode1DuringTrainP50Ms: roundTrip.roundTripDecode1DuringTrainP50Ms,
    roundTripDecode1DuringTrainP95Ms: roundTrip.roundTripDecode1DuringTrainP95Ms,
    importImgPerSec: imported.importImgPerSec,
    importPeakRssMb: imported.peakRssMb,
    importMeanFileKb: imported.meanFileKb,
    faceImportImgPerSec: faceImport?.faceImportImgPerSec ?? null,
    faceImport,
    tensorsLeaked: model.tensorsLeaked,
    peer: peer ?? peerRun,
    ratios,
    quality: quality && { cores: quality.cores, rows: quality.rows },
    soak: soaked
  }

  const row = (label: string, ours: string, theirs?: string, ratio?: number) =>
    `${label.padEnd(30)} ${ours.padStart(10)}${theirs ? `   peer ${theirs.padStart(10)}   ×${ratio!.toFixed(2)}` : ''}`
  const lines = [
    `VAE Studio bench — backend ${backend.name}`,
    row(
      `train, ${model.trainWorkers} workers (img/s, batch 64)`,
      model.trainImgPerSec.toFixed(1),
      peer?.trainImgPerSec.toFixed(1),
      ratios?.train
    ),
    row('  … 1 worker (img/s)', model.trainImgPerSecOneWorker.toFixed(1)) +
      `   scaling ×${(model.trainImgPerSec / model.trainImgPerSecOneWorker).toFixed(2)}`,
    row('  … on the engine thread (img/s)', model.trainImgPerSecEngineThread.toFixed(1)),
    row('decode 1 image (ms)', model.decode1Ms.toFixed(2), peer?.decode1Ms.toFixed(2), ratios?.decode1),
    row('decode 64 images, 2 cores (ms)', model.decode64Ms.toFixed(1), peer?.decode64Ms.toFixed(1), ratios?.decode64),
    row('  … on one core (ms)', model.decode64OneCoreMs.toFixed(1), peer?.decode64Ms.toFixed(1), ratios?.decode64OneCore),
    row('decode 1, round trip (ms)', `${roundTrip.roundTripDecode1Ms.toFixed(2)}`),
    row('  … 95th percentile (ms)', roundTrip.roundTripDecode1P95Ms.toFixed(2)),
    row('  … while training, median (ms)', roundTrip.roundTripDecode1DuringTrainP50Ms.toFixed(2)),
    row('  … while training, p95 (ms)', roundTrip.roundTripDecode1DuringTrainP95Ms.toFixed(2)),
    row(`import 250px JPEG ~${imported.meanFileKb.toFixed(0)} kB whole (img/s)`, imported.importImgPerSec.toFixed(0)),
    row('import peak RSS (MB)', imported.peakRssMb.toFixed(0)),
    faceImport
      ? row(`face import ${faceImport.facesPerPhoto.toFixed(1)} faces/photo (photo/s)`, faceImport.faceImportImgPerSec.toFixed(1)) +
        `   1 worker ${faceImport.faceImportImgPerSecOneWorker?.toFixed(1) ?? '—'}; CPU ${faceImport.cpuMsPerPhoto.toFixed(0)} ms/photo → ${faceImport.idleMachineImgPerSec.toFixed(1)} photo/s on idle cores; peak RSS ${faceImport.peakRssMb.toFixed(0)} MB`
      : 'face import: skipped (no ORL faces to make photos from)',
    row('tensors leaked', String(model.tensorsLeaked)),
    peer
      ? '(ratios > 1 mean VAE Studio is faster; the peer decodes on 1 thread to logits, ours to image bytes)'
      : `peer: ${'skipped' in peerRun ? peerRun.skipped : ''}`
  ]
  if (quality) lines.push(quality.text)
  if (soaked) {
    lines.push(
      `soak ${soakMinutes} min: ${soaked.steps} steps, ${soaked.decodes} decodes; tensors ${soaked.tensorsStart} → ${soaked.tensorsEnd}; ` +
        `RSS ${soaked.rssStartMb.toFixed(0)} → ${soaked.rssEndMb.toFixed(0)} MB (${soaked.rssGrowthPct.toFixed(1)} %); heap ${soaked.heapStartMb.toFixed(1)} → ${soaked.heapEndMb.toFixed(1)} MB`
    )
  }
  return { result, text: lines.join('\n') }
}
