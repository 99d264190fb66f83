/**
 * A long run of what a user does for hours: a tiny 32-px model trains (epochs, previews,
 * checkpoints, sample-quality measurements) while the latent canvas decodes codes from the live model in between steps. The
 * engine's tensor count and the process's memory are read at two quiet points (training paused,
 * so no step or save is half done), after a warm-up and at the end; a leak shows as a difference.
 *
 * Runs on whatever tfjs backend the caller selected (the bench selects it first). Called by the
 * hardening test for half a minute and by `npm run bench -- --soak N` for N minutes.
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import * as tf from '../engine/tf'
import { defaultTrainConfig, type ModelConfig } from '../../shared/config'
import type { StudioEvents, TrainState } from '../../shared/events'
import { Rng } from '../engine/random/rng'
import { engineHandlers } from '../engine/session/engine-handlers'
import { EngineSession } from '../engine/session/engine-session'

export interface SoakResult {
  steps: number
  decodes: number
  tensorsStart: number
  tensorsEnd: number
  rssStartMb: number
  rssEndMb: number
  rssGrowthPct: number
  /**
   * Live JavaScript heap after a full collection. RSS keeps pages V8 no longer uses and swings by
   * tens of percent from one reading to the next; this is the steadier sign of a leak.
   */
  heapStartMb: number
  heapEndMb: number
}

export interface SoakOptions {
  minutes: number
  /** Called about once a second, e.g. to print a progress line. */
  onProgress?: (progress: { seconds: number; steps: number; decodes: number }) => void
}

const model: ModelConfig = { imageSize: 32, channels: 3, latentDim: 8, recon: 'bce', baseFilters: 8 }
/**
 * Time before the first measurement: kernels compile, the wasm heap and V8's heap grow to their
 * working size (about ten seconds on two busy cores); measured earlier, that growth looks like a leak.
 */
const warmupMs = 10_000
/** Every this many decodes one is a 16-image grid instead of a single canvas drag. */
const gridEvery = 10

export async function soak({ minutes, onProgress }: SoakOptions): Promise<SoakResult> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-soak-'))
  const states: TrainState[] = []
  let steps = 0
  const engine = new EngineSession(
    <E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]) => {
      if (event === 'train:progress') steps++
      if (event === 'train:state') states.push(payload as TrainState)
    },
    { name: tf.getBackend(), available: [tf.getBackend()] }
  )
  const session = engineHandlers(engine)
  /** Resolves once the run has reached `state` after the call (training loops check between steps). */
  const reached = async (state: TrainState['state']): Promise<void> => {
    const from = states.length
    while (!states.slice(from).some((s) => s.state === state)) await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const rng = new Rng(7)
  const code = () => Array.from({ length: model.latentDim }, () => rng.normal())
  let decodes = 0
  const decode = async (): Promise<void> => {
    const z = decodes % gridEvery === gridEvery - 1 ? Array.from({ length: 16 }, code) : [code()]
    await session.modelDecode({ z })
    decodes++
  }
  try {
    await session.projectCreate({ path: path.join(dir, 'Soak.vaeproj') })
    await session.datasetDemo({ count: 512, seed: 3, size: 32 })
    const train = {
      ...defaultTrainConfig,
      length: { unit: 'epochs' as const, amount: 100_000 },
      batchSize: 8,
      valFraction: 0.1,
      checkpointEverySteps: 100,
      seed: 5
    }
    await session.trainStart({ model, train })
    const warm = performance.now() + Math.min(warmupMs, minutes * 60_000)
    while (performance.now() < warm) await decode().then(() => new Promise((resolve) => setImmediate(resolve)))

    const gc = collector()
    const quiet = async (): Promise<{ tensors: number; rss: number; heap: number }> => {
      await session.trainPause()
      await reached('paused')
      // A sample-quality measurement started at a checkpoint holds a copy of the model until it ends.
      await engine.quality.settled()
      gc()
      const { rss, heapUsed } = process.memoryUsage()
      return { tensors: tf.memory().numTensors, rss, heap: heapUsed }
    }
    const start = await quiet()
    await session.trainResume()
    const stepsStart = steps
    const decodesStart = decodes
    const began = performance.now()
    let reported = began
    while (performance.now() - began < minutes * 60_000) {
      await decode()
      // Let the trainer take its next step between decodes, as the UI's requests interleave with it.
      await new Promise((resolve) => setImmediate(resolve))
      if (onProgress && performance.now() - reported >= 1000) {
        reported = performance.now()
        onProgress({ seconds: (reported - began) / 1000, steps: steps - stepsStart, decodes: decodes - decodesStart })
      }
    }
    const end = await quiet()
    await session.trainStop()
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10
    return {
      steps: steps - stepsStart,
      decodes: decodes - decodesStart,
      tensorsStart: start.tensors,
      tensorsEnd: end.tensors,
      rssStartMb: mb(start.rss),
      rssEndMb: mb(end.rss),
      rssGrowthPct: Math.round(((end.rss - start.rss) / start.rss) * 1000) / 10,
      heapStartMb: mb(start.heap),
      heapEndMb: mb(end.heap)
    }
  } finally {
    await engine.dispose()
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/**
 * A full garbage collection before each reading, so the comparison is of live memory and not of
 * when V8 last collected. Node hides `gc` unless started with --expose-gc; the flag can be set
 * at run time and the function fetched from a fresh context.
 */
function collector(): () => void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  return () => gc()
}
