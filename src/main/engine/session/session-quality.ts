/**
 * The engine session's sample-quality measurements (see src/main/engine/quality): one lazily
 * started `FaceEmbedder` (its worker threads run face-api's recognition net; one is used while
 * training runs, up to two when idle), the real faces' embeddings cached per dataset in the
 * project, `quality:measure` on request and, while training with `quality` on, a measurement after
 * a checkpoint whenever that keeps the time spent measuring at ≤ 10 % of the run.
 *
 * Every measurement decodes from its own copy of the weights (a checkpoint's, or the live run's
 * copied at the start), so it never races the training loop and frees everything it made. A
 * measurement writes only into the project it started in, and is abandoned (nothing written, no
 * event) when the session closes or another project is opened.
 */
import * as os from 'node:os'
import type { TrainConfig } from '../../../shared/config'
import { StudioError, messageOf } from '../../../shared/errors'
import type { TrainNotice } from '../../../shared/events'
import type { QualityHistory, QualityPoint } from '../../../shared/results'
import type { OpenedDataset } from '../dataset/open-dataset'
import { VaeModel } from '../model/vae-model'
import { listCheckpoints } from '../project/checkpoint-list'
import type { Checkpoint } from '../project/checkpoint-manifest'
import { FaceEmbedder } from '../quality/face-embedder'
import { measureSampleQuality } from '../quality/sample-quality'
import { yieldToEvents } from '../inference/decode-in-slices'
import { fitCodeSampler } from '../sampling/code-sampler'
import { splitIndices } from '../train/data-split'
import type { RunRecorder } from '../train/trainer'
import type { OpenProject } from './open-project'
import { refuseNonFinite } from './finite-point'
import { QualityReferences, readCache } from './quality-reference'
import type { FacesVerdict } from '../project/embedding-cache'
import { appendQualityPoint, readQualityPoints } from '../project/quality-store'

/** Samples per measurement taken in the background while training. */
export const backgroundSamples = 128
/** A background measurement starts only when the last one's duration × this has passed since it ended. */
export const idleFactor = 9
/** Faces a dataset needs for the metric: its floor compares two halves of at least 2 faces each. */
export const minimumFaces = 4

export interface MeasureOptions {
  samples: number
  seed: number
  temperature: number
}

/**
 * What the measurements need of the engine session, and no more: the open project, its dataset,
 * the newest weights, whether a run trains, and where notices and points go.
 */
export interface QualityContext {
  /** The project open now, or null; a measurement writes only into the project it started in. */
  openProject(): OpenProject | null
  /** The open project, or the session's error for none. */
  requireProject(): OpenProject
  /** The dataset of `project` (default: the open one), which may no longer be the open one. */
  requireDataset(project?: OpenProject): Promise<OpenedDataset>
  /** The live run's weights while training, else the latest checkpoint's (the caller copies them). */
  requireModel(): Promise<{ model: VaeModel; step: number }>
  /** A run is training: measure on one worker, with fewer KID subsets. */
  training(): boolean
  notice(notice: TrainNotice): void
  point(point: QualityPoint): void
}

export class SessionQuality {
  private embedder: Promise<FaceEmbedder> | null = null
  private readonly inFlight = new Set<{ abort: AbortController; done: Promise<unknown> }>()
  private background: Promise<unknown> | null = null
  private last: { endedAt: number; seconds: number } | null = null
  private writes: Promise<unknown> = Promise.resolve()
  private closed = false
  /** Pulled when the session closes: stops a face check in the detector. */
  private readonly closing = new AbortController()
  private readonly references = new QualityReferences(
    this.closing.signal,
    (write) => this.queue(write),
    (problem) => this.context.notice({ step: 0, message: problem })
  )

  constructor(private readonly context: QualityContext) {}

  /** Whether the metric applies to the open project, and every measurement kept in it. */
  async history(): Promise<QualityHistory> {
    const project = this.context.requireProject()
    const { points, problem } = await readQualityPoints(project.dir)
    if (problem) this.context.notice({ step: 0, message: problem })
    // A damaged embeddings cache is said here too, so `info` and opening the project show it.
    if (project.file.dataset) {
      const data = await this.context.requireDataset(project)
      await this.queue(() => readCache(project.dir, data, (message) => this.context.notice({ step: 0, message })))
    }
    const reason = await this.notApplicable(project)
    return reason ? { applies: false, reason, points } : { applies: true, points }
  }

  /** Measures the newest weights (the live run's while training), saves the point and reports it. */
  async evaluate(options: MeasureOptions): Promise<QualityPoint> {
    const project = this.context.requireProject()
    const reason = await this.notApplicable(project)
    if (reason) throw new StudioError('invalid-request', reason)
    const data = await this.context.requireDataset(project)
    const { model: live, step } = await this.context.requireModel()
    const model = new VaeModel(live.config, 0)
    try {
      model.loadWeightArrays(live.weightArrays())
    } catch (err) {
      model.dispose()
      throw err
    }
    return this.track(project, (signal) => this.measure(project, data, model, step, options, this.context.training() ? 1 : 2, signal))
  }

  /**
   * The trainer's recorder, measuring after a checkpoint is written (never waited for: the run goes
   * on) when `train.quality` is on, the metric applies, nothing is being measured and the last
   * measurement ended long enough ago.
   */
  watch(recorder: RunRecorder, project: OpenProject, train: TrainConfig): RunRecorder {
    if (!train.quality) return recorder
    return {
      appendHistory: (rows) => recorder.appendHistory(rows),
      saveCheckpoint: async (checkpoint) => {
        await recorder.saveCheckpoint(checkpoint)
        this.afterCheckpoint(project, checkpoint)
      }
    }
  }

  /** Abandons running measurements (another project is being opened). */
  cancel(): void {
    for (const run of this.inFlight) run.abort.abort()
    this.background = null
    this.last = null
  }

  /** Resolves once every measurement running now has ended (finished, failed or abandoned). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight].map((run) => run.done.catch(() => undefined)))
  }

  /** Abandons running measurements, waits for them to let go, and stops the embedder's workers. */
  async dispose(): Promise<void> {
    this.closed = true
    this.closing.abort()
    const running = [...this.inFlight]
    this.cancel()
    const embedder = this.embedder
    this.embedder = null
    // Pending embeddings reject when the workers stop, so nothing waits on a dead thread.
    if (embedder) await embedder.then((e) => e.dispose()).catch(() => undefined)
    await Promise.all(running.map((run) => run.done.catch(() => undefined)))
    await this.writes.catch(() => undefined)
  }

  private afterCheckpoint(project: OpenProject, checkpoint: Checkpoint): void {
    if (this.closed || this.background || this.context.openProject() !== project) return
    const now = performance.now()
    if (this.last && now - this.last.endedAt < idleFactor * this.last.seconds * 1000) return
    const started = now
    const run = async (signal: AbortSignal): Promise<QualityPoint | null> => {
      if (await this.notApplicable(project, { checkpointExists: true })) return null
      const data = await this.context.requireDataset(project)
      if (signal.aborted || this.context.openProject() !== project) return null
      const model = new VaeModel(project.file.model, checkpoint.seeds.init)
      try {
        model.loadWeightArrays(checkpoint.tensors)
      } catch (err) {
        model.dispose()
        throw err
      }
      return this.measure(project, data, model, checkpoint.step, { samples: backgroundSamples, seed: 0, temperature: 1 }, 1, signal)
    }
    const done = this.track(project, run)
      .catch((err: unknown) => {
        if (err instanceof StudioError && err.code === 'cancelled') return
        if (this.context.openProject() === project && !this.closed) {
          this.context.notice({
            step: checkpoint.step,
            message: `sample quality could not be measured: ${messageOf(err)}`
          })
        }
      })
      .finally(() => {
        if (this.background === done) {
          this.background = null
          this.last = { endedAt: performance.now(), seconds: (performance.now() - started) / 1000 }
        }
      })
    this.background = done
  }

  /** Runs `work` with a cancel switch that `cancel()` and `dispose()` pull. */
  private async track<T>(project: OpenProject, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) throw new StudioError('cancelled', 'the engine is closing')
    const abort = new AbortController()
    const entry = { abort, done: Promise.resolve() as Promise<unknown> }
    const done = work(abort.signal)
    entry.done = done
    this.inFlight.add(entry)
    try {
      return await done
    } finally {
      this.inFlight.delete(entry)
    }
  }

  /** Why the metric does not apply to the project, or null when it does. */
  private async notApplicable(project: OpenProject, known: { checkpointExists?: boolean } = {}): Promise<string | null> {
    if (!project.file.dataset) return 'the project has no images yet: import a folder of faces (or the demo faces) and train first'
    const faces = project.file.dataset.count
    if (faces < minimumFaces) {
      return (
        `this project has only ${faces} ${faces === 1 ? 'face' : 'faces'}: measuring sample quality needs at least ${minimumFaces} ` +
        '(its floor compares two halves of the real faces); import more faces'
      )
    }
    const verdict = await this.verdict(project)
    if (!verdict.applies) {
      return (
        `the sample-quality metric measures faces, and these images do not look like faces: the face detector found one in ${verdict.withFace} ` +
        `of ${verdict.checked} of them (a sample chosen with a fixed seed)${tooSmallToJudge(project.file.dataset.options.size, verdict)}`
      )
    }
    if (!known.checkpointExists && !this.context.training() && (await listCheckpoints(project.dir)).length === 0) {
      return 'the model has not been trained yet: train first, then sample quality can be measured'
    }
    return null
  }

  /** Faces or not (memoised per project and dataset). */
  private async verdict(project: OpenProject): Promise<FacesVerdict> {
    return this.references.verdict(project, await this.context.requireDataset(project))
  }

  /** Runs `write` to the project's quality files after the ones before it. */
  private queue<T>(write: () => Promise<T>): Promise<T> {
    const done = this.writes.then(write)
    this.writes = done.catch(() => undefined)
    return done
  }

  private async startedEmbedder(): Promise<FaceEmbedder> {
    if (this.closed) throw new StudioError('cancelled', 'the engine is closing')
    this.embedder ??= FaceEmbedder.start({
      workers: this.context.training() ? 1 : Math.min(2, os.availableParallelism()),
      jobSize: 32
    }).catch((err: unknown) => {
      this.embedder = null
      throw err
    })
    return this.embedder
  }

  /** One measurement of `model` (which it disposes), saved in `project` and reported while it is open. */
  private async measure(
    project: OpenProject,
    data: OpenedDataset,
    model: VaeModel,
    step: number,
    options: MeasureOptions,
    workers: number,
    signal: AbortSignal
  ): Promise<QualityPoint> {
    const t0 = performance.now()
    const check = (): void => {
      if (signal.aborted || this.closed) throw new StudioError('cancelled', 'the sample-quality measurement was abandoned')
    }
    let point: QualityPoint
    try {
      const embedder = await this.startedEmbedder()
      embedder.useWorkers(workers)
      check()
      const { reference, heldOut } = await this.references.prepared(project, data, embedder)
      check()
      // Codes as the studio draws them: from a mixture fitted to this checkpoint's codes of the training faces.
      const { train } = project.file
      const sampler = fitCodeSampler(model, data, splitIndices(data.count, train.valFraction, train.seed).train)
      await yieldToEvents()
      check()
      // KID's subsets are the one long stretch of arithmetic on this thread: fewer while training runs.
      const measured = await measureSampleQuality({
        model,
        data,
        embedder,
        reference,
        heldOut,
        sampler,
        ...options,
        kidSubsets: this.context.training() ? 25 : 100,
        check
      })
      const { msPerFace: _, ...fields } = measured
      // The point's time counts everything it waited for: the embedder's start, a first reference.
      point = { step, ...fields, seconds: (performance.now() - t0) / 1000 }
      refuseNonFinite(point)
    } finally {
      model.dispose()
    }
    check()
    const { problem } = await this.queue(() => appendQualityPoint(project.dir, point))
    if (this.context.openProject() === project && !this.closed) {
      if (problem) this.context.notice({ step, message: problem })
      this.context.point(point)
    }
    return point
  }
}

/** Why the detector may have missed the faces of a small dataset whose source files were not all at hand. */
function tooSmallToJudge(size: number, verdict: FacesVerdict): string {
  if (size >= 64 || verdict.fromSources === undefined || verdict.fromSources >= verdict.checked) return ''
  const missing = verdict.checked - verdict.fromSources
  return (
    `; ${missing} of them were seen at ${size} px, too small for the detector, because their source files were gone or changed ` +
    '(import the folder again, or at 64 px, to have them judged)'
  )
}
