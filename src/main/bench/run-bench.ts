/**
 * `npm run bench`: speed figures, never pass/fail. Prints ours and, when Debian's python3-torch is
 * installed, the PyTorch CPU peer's, with the ratios. `--json` prints one object whose field names
 * scripts rely on: trainImgPerSec, decode1Ms, decode64Ms, importImgPerSec (+ peer, ratios).
 */
import { selectBackend } from '../engine/backend/select-backend'
import { packageRoot } from '../cli/package-root'
import { numberFlag, parseCommand } from '../cli/options'
import type { Reporter } from '../cli/reporter'
import { benchImport } from './import-bench'
import { benchModel } from './model-bench'
import { peerScript, runTorchPeer } from './peer'

export const benchUsage = 'vae-studio bench [--steps 10] [--import-files 1000] [--no-peer] [--backend auto|wasm|cpu]'

export async function runBench(args: string[], reporter: Reporter): Promise<void> {
  const { values } = parseCommand(
    args,
    { steps: { type: 'string' }, 'import-files': { type: 'string' }, 'no-peer': { type: 'boolean' }, backend: { type: 'string' } },
    { min: 0, max: 0, usage: benchUsage }
  )
  const steps = numberFlag('steps', values.steps, { min: 1, max: 1000, integer: true }) ?? 10
  const importFiles = numberFlag('import-files', values['import-files'], { min: 10, max: 100_000, integer: true }) ?? 1000
  const backend = await selectBackend((values.backend ?? 'auto') as Parameters<typeof selectBackend>[0])
  // Progress goes to stderr so that `--json` prints exactly one object on stdout.
  const say = (text: string) => process.stderr.write(`${text}\n`)
  say(`backend ${backend.name}: timing ${steps} training steps of the default 64-px model (batch 64)…`)
  const model = benchModel({ steps })
  say(`importing ${importFiles} generated 250×250 JPEGs…`)
  const imported = await benchImport(importFiles)
  const script = values['no-peer'] ? null : peerScript(packageRoot(), 'torch_vae.py')
  let peer: ReturnType<typeof runTorchPeer> | null = null
  if (script) {
    say('running the PyTorch CPU peer (1 thread)…')
    peer = runTorchPeer(script, 1)
  }
  const peerFigures = peer && !('skipped' in peer) ? peer : null
  const result = {
    backend: backend.name,
    trainImgPerSec: model.trainImgPerSec,
    trainStepMs: model.trainStepMs,
    decode1Ms: model.decode1Ms,
    decode64Ms: model.decode64Ms,
    importImgPerSec: imported.importImgPerSec,
    importPeakRssMb: imported.peakRssMb,
    tensorsLeaked: model.tensorsLeaked,
    peer: peerFigures ?? (peer && 'skipped' in peer ? { skipped: peer.skipped } : { skipped: script ? 'not run' : 'peer script or python3-torch not found' }),
    ratios: peerFigures
      ? {
          train: model.trainImgPerSec / peerFigures.trainImgPerSec,
          decode1: peerFigures.decode1Ms / model.decode1Ms,
          decode64: peerFigures.decode64Ms / model.decode64Ms
        }
      : null
  }
  const row = (label: string, ours: string, theirs?: string, ratio?: number) =>
    `${label.padEnd(26)} ${ours.padStart(12)}${theirs ? `   peer ${theirs.padStart(12)}   ×${ratio!.toFixed(2)}` : ''}`
  const lines = [
    `VAE Studio bench — backend ${backend.name}`,
    row('train (img/s, batch 64)', model.trainImgPerSec.toFixed(1), peerFigures?.trainImgPerSec.toFixed(1), result.ratios?.train),
    row('decode 1 image (ms)', model.decode1Ms.toFixed(2), peerFigures?.decode1Ms.toFixed(2), result.ratios?.decode1),
    row('decode 64 images (ms)', model.decode64Ms.toFixed(1), peerFigures?.decode64Ms.toFixed(1), result.ratios?.decode64),
    row('import 250px JPEG (img/s)', imported.importImgPerSec.toFixed(0)),
    row('import peak RSS (MB)', imported.peakRssMb.toFixed(0)),
    row('tensors leaked', String(model.tensorsLeaked)),
    peerFigures ? '(ratios > 1 mean VAE Studio is faster)' : `peer: ${'skipped' in result.peer ? result.peer.skipped : ''}`
  ]
  reporter.record('bench', result, lines.join('\n'))
}
