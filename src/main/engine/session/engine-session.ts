/**
 * What the engine process holds between requests: the open project, its dataset (loaded once),
 * the model that serves inference, the training run. The contract's methods are implemented by
 * the handler modules beside this file (one per domain); this class keeps their shared state and
 * the checks they all need.
 */
import { defaultSampling, type Sampling } from '../../../shared/config'
import type { ProjectSummary } from '../../../shared/contract'
import { StudioError, messageOf } from '../../../shared/errors'
import type { StudioEvents, TrainState } from '../../../shared/events'
import { openDataset, type OpenedDataset } from '../dataset/open-dataset'
import { ParallelDecoder } from '../inference/parallel-decoder'
import { VaeModel } from '../model/vae-model'
import { listCheckpoints } from '../project/checkpoint-list'
import { readLatestCheckpoint } from '../project/checkpoint-reader'
import { saveProject } from '../project/project-file'
import { projectPaths } from '../project/project-paths'
import type { ProjectFile } from '../project/project-schema'
import { priorCodeSampler, type CodeSampler } from '../sampling/code-sampler'
import type { Trainer } from '../train/trainer'
import { CodeSamplers } from './code-samplers'
import type { OpenProject } from './open-project'
import { ProjectWriters } from './project-writer'
import { SessionQuality } from './session-quality'

export type Emit = <E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]) => void

export interface Run {
  trainer: Trainer
  model: VaeModel
  done: Promise<TrainState>
}

export class EngineSession {
  project: OpenProject | null = null
  dataset: OpenedDataset | null = null
  /** Codes of every dataset image under the model of `step`, for the latent map and tools. */
  latentCache: { step: number; mu: number[][] } | null = null
  run: Run | null = null
  state: TrainState = { state: 'idle' }
  /** The running import's cancel switch; null when no import runs. */
  importing: AbortController | null = null
  /** The running export of generated faces' cancel switch. */
  exporting: AbortController | null = null
  /** The fitted code sampler of the model that serves inference, kept between grids. */
  readonly codeSamplers = new CodeSamplers()
  /** Grids (sample, decode of many codes) on both cores; single codes stay on this thread. */
  readonly gridDecoder = new ParallelDecoder()
  /** Sample-quality measurements: the face embedder, cached real faces, background measuring. */
  readonly quality = new SessionQuality({
    openProject: () => this.project,
    requireProject: () => this.requireProject(),
    requireDataset: (project) => this.requireDataset(project),
    requireModel: () => this.requireModel(),
    training: () => this.run !== null,
    notice: (notice) => this.emit('train:notice', notice),
    point: (point) => this.emit('quality:point', point)
  })
  /** One writer per project: training and imports hold its lock while they write. */
  readonly writers = new ProjectWriters((message) => this.emit('train:notice', { step: 0, message }))
  private inferenceModel: { model: VaeModel; step: number } | null = null

  constructor(
    readonly emit: Emit,
    readonly backend: { name: string; available: string[] }
  ) {}

  requireProject(): OpenProject {
    if (!this.project) throw new StudioError('no-project', 'no project is open: create or open one first')
    return this.project
  }

  requireRun(): Run {
    if (!this.run) throw new StudioError('invalid-request', 'no training run is active')
    return this.run
  }

  /**
   * The open project's dataset (kept open), or that of `project` when a request began on it and
   * another project was opened meanwhile: the request still answers about its own project.
   */
  async requireDataset(project: OpenProject = this.requireProject()): Promise<OpenedDataset> {
    if (!project.file.dataset) throw new StudioError('not-found', 'this project has no images yet: import a folder or the demo faces first')
    if (project !== this.project) return openDataset(projectPaths(project.dir).datasetDir)
    this.dataset ??= await openDataset(projectPaths(project.dir).datasetDir)
    return this.dataset
  }

  /** The live model while training (decodes follow training), else the latest checkpoint's. */
  async requireModel(): Promise<{ model: VaeModel; step: number }> {
    if (this.run) return { model: this.run.trainer.syncModel(), step: this.run.trainer.currentStep }
    if (this.inferenceModel) return this.inferenceModel
    const project = this.requireProject()
    const { checkpoint, problems } = await readLatestCheckpoint(project.dir)
    if (!checkpoint && problems.length > 0)
      throw new StudioError('bad-data', `no checkpoint of this project can be read: ${problems.join('; ')}`)
    if (!checkpoint) throw new StudioError('not-found', 'the model has not been trained yet: train it first')
    const model = new VaeModel(project.file.model, checkpoint.seeds.init)
    try {
      model.loadWeightArrays(checkpoint.tensors)
    } catch (err) {
      model.dispose()
      throw new StudioError('bad-data', messageOf(err))
    }
    this.replaceInferenceModel(model, checkpoint.step)
    return this.inferenceModel!
  }

  /** Where codes decoded by `current` are drawn from: the prior without images to fit to. */
  async codeSampler(current: { model: VaeModel; step: number }, sampling: Sampling = defaultSampling): Promise<CodeSampler> {
    const project = this.requireProject()
    if (sampling === 'prior' || !project.file.dataset) return priorCodeSampler(current.model.config.latentDim)
    return this.codeSamplers.fitted(current, await this.requireDataset(project), project.file.train, this.run !== null)
  }

  replaceInferenceModel(model: VaeModel, step: number): void {
    if (this.inferenceModel && this.inferenceModel.model !== model) this.inferenceModel.model.dispose()
    this.inferenceModel = { model, step }
  }

  /**
   * Saves `project`'s file: the project a request began with, which is not the open one any more
   * if another was opened while the request awaited something.
   */
  async saveFile(project: OpenProject, file: ProjectFile): Promise<ProjectFile> {
    project.file = await saveProject(project.dir, file)
    return project.file
  }

  switchProject(dir: string, file: ProjectFile): void {
    this.quality.cancel()
    this.project = { dir, file }
    this.dataset = null
    this.latentCache = null
    this.inferenceModel?.model.dispose()
    this.inferenceModel = null
    this.state = { state: 'idle' }
  }

  setState(state: TrainState): void {
    this.state = state
    this.emit('train:state', state)
  }

  assertIdle(action: string): void {
    if (this.run) throw new StudioError('busy', `cannot ${action} while training runs: stop or pause it first`)
  }

  /** Tells every client what the engine now holds, whoever asked for the change. */
  async announce(): Promise<ProjectSummary> {
    const summary = await this.summary()
    this.emit('project:changed', summary)
    return summary
  }

  async summary(): Promise<ProjectSummary> {
    const { dir, file } = this.requireProject()
    const [latest] = await listCheckpoints(dir)
    return {
      path: dir,
      name: file.name,
      source: file.dataset?.source ?? '',
      imageCount: file.dataset?.count ?? 0,
      imageSize: file.dataset?.options.size ?? file.model.imageSize,
      channels: file.dataset?.options.channels ?? file.model.channels,
      model: file.model,
      train: file.train,
      checkpoint: latest ? { step: latest.step, epoch: latest.epoch, beta: latest.targetBeta } : null,
      trainState: this.state,
      faces: file.dataset?.options.faces.find ?? false
    }
  }

  /** Frees every tensor the session holds (tests check this leaves no tensor behind). */
  async dispose(): Promise<void> {
    if (this.run) {
      this.run.trainer.stop()
      await this.run.done
    }
    await this.quality.dispose()
    await this.writers.releaseAll()
    await this.gridDecoder.dispose()
    this.inferenceModel?.model.dispose()
    this.inferenceModel = null
  }
}
