/**
 * The training worker with the one-line call-site change that model/vae-objective.ts asks of it,
 * applied to train/parallel/train-worker.ts's source at run time (this experiment does not edit
 * train/). The patched copy goes to out/ with its relative imports made absolute, and boots
 * through tsx like every engine worker run from source. If the worker's source moved on and the
 * lines are not found, it says so instead of training something else.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { WorkerInit } from '../../../src/main/engine/train/parallel/protocol'

const source = path.resolve(__dirname, '../../../src/main/engine/train/parallel/train-worker.ts')

/** The patch, exactly as an integration would apply it (README: "Integration"). */
export const workerPatch = {
  from: [
    '    const { mu, logVar } = model.encode(x)',
    '    const logits = model.decodeLogits(reparameterize(mu, logVar, e))',
    '    const t = vaeLoss({ x, logits, mu, logVar, beta, kind: recon })'
  ].join('\n'),
  to: '    const t = vaeObjective(model, x, e, beta)',
  importLine: "import { vaeObjective } from '../../model/vae-objective'"
}

let patchedFile: string | null = null

function patchedWorker(): string {
  if (patchedFile) return patchedFile
  let text = readFileSync(source, 'utf8')
  if (!text.includes(workerPatch.from)) throw new Error(`train-worker.ts no longer has the lines the objective patch replaces:\n${workerPatch.from}`)
  text = text.replace(workerPatch.from, workerPatch.to)
  text = text.replace("import { VaeModel } from '../../model/vae-model'", `import { VaeModel } from '../../model/vae-model'\n${workerPatch.importLine}`)
  // The copy lives in out/: point its relative imports at the real files.
  text = text.replace(/from '(\.\.?\/[^']+)'/g, (_, rel: string) => `from '${path.resolve(path.dirname(source), rel)}'`)
  patchedFile = path.join(__dirname, 'out', 'patched-train-worker.ts')
  writeFileSync(patchedFile, text)
  return patchedFile
}

export function objectiveWorker(init: WorkerInit): Worker {
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(patchedWorker())})`
  return new Worker(boot, { workerData: init, eval: true })
}
