/**
 * What the engine process holds between requests: the open project, its dataset (loaded once),
 * the model used for inference and the training run. Every engine-side contract method is a
 * method here; the process entry only routes messages to it.
 */
import { cpus } from 'node:os'
import * as tf from '../tf'
import type { ImportOptions, ModelConfig, TrainConfig } from '../../../shared/config'
import type {
  CompressionResult,
  DenoiseResult,
  EngineInfo,
  Encoding,
  ExportedModel,
  LatentAttribute,
  LatentRecipe,
  NearestResult,
  TimelineFrame,
  HistoryRow,
  ImportResult,
  LatentMap,
  ProjectSummary,
  Sample,
  SkippedFile,
  StudioApi
} from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import type { StudioEvents, TrainState } from '../../../shared/events'
import type { RawImage } from '../../../shared/images'
import { createDatasetWriter } from '../dataset/dataset-writer'
import { importFolder } from '../dataset/import-folder'
import { openDataset, type OpenedDataset } from '../dataset/open-dataset'
import { iterateDemoFaces } from '../demo/generate'
import { writeFileAtomic } from '../fs/atomic-write'
import { imageLibrary } from '../image/image-libraries'
import { datasetRowToRawImage } from '../image/raw-images'
import { composeGrid, encodePng } from '../image/png'
import { encodeRows, reconstructRows, sampleCodes } from '../inference/inference'
import { ParallelDecoder } from '../inference/parallel-decoder'
import { pca } from '../latent/pca'
import { VaeModel } from '../model/vae-model'
import { listCheckpoints, readLatestCheckpoint } from '../project/checkpoint-store'
import { isEpochRow, readHistory, truncateHistoryAfter } from '../project/history-log'
import { createProject, openProject, saveProject } from '../project/project-file'
import { projectPaths } from '../project/project-paths'
import type { ProjectFile } from '../project/project-schema'
import type { EngineMethodName } from '../process/engine-methods'
import { Trainer } from '../train/trainer'
import * as tools from './latent-tools'
import { projectTrainingStore } from './project-training-store'

export type Emit = <E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]) => void

/** The contract methods the engine process answers (the host answers settings, dialogs, files). */
export type EngineMethods = Pick<StudioApi, Exclude<EngineMethodName, 'engineInfo'>> & { engineInfo(): Promise<Omit<EngineInfo, 'transport'>> }

/** Images generated when training starts on a project with no dataset. */
export const defaultDemoCount = 2000

interface Run {
  trainer: Trainer
  model: VaeModel
  done: Promise<TrainState>
}

export class StudioSession implements EngineMethods {
  private project: { dir: string; file: ProjectFile } | null = null
  private dataset: OpenedDataset | null = null
  private inferenceModel: { model: VaeModel; step: number } | null = null
  private latentCache: { step: number; mu: number[][] } | null = null
  private run: Run | null = null
  private state: TrainState = { state: 'idle' }
  private importing = false
  /** Grids (sample, decode of many codes) on both cores; single codes stay on this thread. */
  private readonly gridDecoder = new ParallelDecoder()

  constructor(
    private readonly emit: Emit,
    private readonly backend: { name: string; available: string[] }
  ) {}

  async engineInfo(): Promise<Omit<EngineInfo, 'transport'>> {
    return {
      backend: this.backend.name,
      availableBackends: this.backend.available,
      tfjsVersion: tf.version_core,
      cores: cpus().length,
      platform: `${process.platform}-${process.arch}, Node ${process.versions.node}`,
      imageLibrary: imageLibrary()
    }
  }

  // ── projects ────────────────────────────────────────────────────────────────────────────────

  async projectCreate(req: { path: string; name?: string }): Promise<ProjectSummary> {
    this.assertIdle('create a project')
    const file = await createProject(req.path, { name: req.name })
    this.switchProject(req.path, file)
    return this.announce()
  }

  async projectOpen(req: { path: string }): Promise<ProjectSummary> {
    this.assertIdle('open another project')
    const file = await openProject(req.path)
    this.switchProject(req.path, file)
    return this.announce()
  }

  async projectSave(): Promise<ProjectSummary> {
    const project = this.requireProject()
    project.file = await saveProject(project.dir, project.file)
    return this.summary()
  }

  async projectCurrent(): Promise<ProjectSummary | null> {
    return this.project ? this.summary() : null
  }

  // ── dataset ─────────────────────────────────────────────────────────────────────────────────

  async datasetImport(req: { folder: string; options: ImportOptions }): Promise<ImportResult> {
    return this.replaceDataset(req.folder, req.options, (outDir) =>
      importFolder(req.folder, outDir, req.options, { onProgress: (p) => this.emit('dataset:progress', p) })
    )
  }

  async datasetDemo(req: { count: number; seed: number; size?: 32 | 64 | 128 }): Promise<ImportResult> {
    const options: ImportOptions = { size: req.size ?? 64, fit: 'crop', channels: 3, maxPixels: 100_000_000 }
    return this.replaceDataset('demo', options, async (outDir) => {
      const writer = await createDatasetWriter(outDir, { size: options.size, channels: 3, fit: 'crop', source: 'demo' })
      let done = 0
      for (const face of iterateDemoFaces(req.count, req.seed, options.size)) {
        await writer.add(face.image, { file: `face_${String(done).padStart(5, '0')}.png` })
        done++
        if (done % 200 === 0 || done === req.count) {
          this.emit('dataset:progress', { done, total: req.count, imported: writer.count, skipped: 0 })
        }
      }
      return writer.finish()
    })
  }

  async datasetThumbnails(req: { from: number; count: number }): Promise<RawImage[]> {
    const data = await this.requireDataset()
    const end = Math.min(data.count, req.from + req.count)
    const images: RawImage[] = []
    for (let i = req.from; i < end; i++) images.push(datasetRowToRawImage(data.images, i, data.size, data.channels))
    return images
  }

  async datasetSkipped(): Promise<SkippedFile[]> {
    const data = await this.requireDataset()
    return data.files.filter((f) => f.status === 'skipped').map((f) => ({ file: f.file, reason: f.reason ?? 'not imported' }))
  }

  // ── training ────────────────────────────────────────────────────────────────────────────────

  async trainStart(req: { model: ModelConfig; train: TrainConfig }): Promise<TrainState> {
    this.assertIdle('start training')
    const project = this.requireProject()
    if (!project.file.dataset) {
      await this.datasetDemo({ count: defaultDemoCount, seed: req.train.seed, size: req.model.imageSize })
    }
    const data = await this.requireDataset()
    // The data decides the image shape; the request decides everything else.
    const model: ModelConfig = { ...req.model, imageSize: data.size, channels: data.channels }
    const { checkpoint, problems } = await readLatestCheckpoint(project.dir)
    if (checkpoint && !sameArchitecture(project.file.model, model)) {
      throw new StudioError(
        'invalid-request',
        `this project's model was trained with latent size ${project.file.model.latentDim}, ${project.file.model.recon.toUpperCase()} loss and ${project.file.model.baseFilters} base filters; ` +
          'to train a different model, create a new project from the same folder'
      )
    }
    const train = req.train
    // Steps after the checkpoint will be redone: forget their history and β marks.
    const betaChanges = project.file.betaChanges.filter((c) => c.step <= (checkpoint?.step ?? 0))
    project.file = await saveProject(project.dir, { ...project.file, model, train, betaChanges })
    // Also without a checkpoint: a run killed before its first one may have left history behind.
    await truncateHistoryAfter(project.dir, checkpoint?.step ?? 0)
    for (const problem of problems) this.emit('train:notice', { step: checkpoint?.step ?? 0, message: `${problem}; resuming from an older checkpoint` })

    const vae = new VaeModel(model, train.seed)
    const trainer = new Trainer({
      model: vae,
      config: train,
      data,
      store: projectTrainingStore(project.dir),
      resumeFrom: checkpoint,
      events: {
        progress: (p) => this.emit('train:progress', p),
        epoch: (e) => this.emit('train:epoch', e),
        // The run's end is announced below, once its model is ready to serve inference.
        state: (s) => isTerminal(s) || this.setState(s),
        notice: (n) => this.emit('train:notice', n)
      }
    })
    const done = trainer
      .run()
      .then((final) => ({ final, usable: true }))
      // A run that threw (e.g. a checkpoint that does not fit) leaves weights nobody trained.
      .catch((err: unknown) => ({ final: { state: 'failed', reason: `training stopped: ${err instanceof Error ? err.message : String(err)}` } as TrainState, usable: false }))
      .then(({ final, usable }) => {
        trainer.dispose()
        if (usable) this.replaceInferenceModel(vae, trainer.currentStep)
        else vae.dispose()
        this.latentCache = null
        this.run = null
        this.setState(final)
        return final
      })
    this.run = { trainer, model: vae, done }
    this.setState({ state: 'running' })
    return this.state
  }

  async trainPause(): Promise<TrainState> {
    this.requireRun().trainer.pause()
    return this.state
  }

  async trainResume(): Promise<TrainState> {
    this.requireRun().trainer.resume()
    return this.state
  }

  async trainStop(): Promise<TrainState> {
    const run = this.requireRun()
    run.trainer.stop()
    return run.done
  }

  async trainSetBeta(req: { beta: number }): Promise<{ beta: number }> {
    const project = this.requireProject()
    const step = this.run?.trainer.currentStep ?? 0
    this.run?.trainer.setBeta(req.beta)
    const betaChanges = [...project.file.betaChanges.filter((c) => c.step !== step), { step, beta: req.beta }]
    project.file = await saveProject(project.dir, { ...project.file, train: { ...project.file.train, beta: req.beta }, betaChanges })
    return { beta: req.beta }
  }

  async trainHistory(): Promise<Awaited<ReturnType<StudioApi['trainHistory']>>> {
    const project = this.requireProject()
    const history = await readHistory(project.dir)
    const rows: HistoryRow[] = history.steps.map(({ step, epoch, loss, recon, kl, beta }) => ({ step, epoch, loss, recon, kl, beta }))
    const epochs = history.epochs.filter(isEpochRow).map(({ kind: _kind, t: _t, ...rest }) => rest)
    return { rows, epochs, betaChanges: project.file.betaChanges }
  }

  // ── inference ───────────────────────────────────────────────────────────────────────────────

  async modelEncode(req: { indices: number[] }): Promise<Encoding> {
    const [model, data] = await Promise.all([this.requireModel(), this.requireDataset()])
    this.checkIndices(req.indices, data.count)
    return encodeRows(model.model, data, req.indices)
  }

  async modelDecode(req: { z: number[][] }): Promise<RawImage[]> {
    return this.gridDecoder.decode((await this.requireModel()).model, req.z)
  }

  async modelSample(req: { count: number; temperature: number; seed: number }): Promise<Sample> {
    const { model } = await this.requireModel()
    const z = sampleCodes(model.config.latentDim, req.count, req.temperature, req.seed)
    return { z, images: await this.gridDecoder.decode(model, z) }
  }

  async modelReconstruct(req: { indices: number[] }): Promise<RawImage[]> {
    const [model, data] = await Promise.all([this.requireModel(), this.requireDataset()])
    this.checkIndices(req.indices, data.count)
    return reconstructRows(model.model, data, req.indices)
  }

  async latentMap(req: { axes: 'pca' | 'dims'; dims?: [number, number] }): Promise<LatentMap> {
    const [model, data] = await Promise.all([this.requireModel(), this.requireDataset()])
    if (this.latentCache?.step !== model.step) {
      const all = Array.from({ length: data.count }, (_, i) => i)
      this.latentCache = { step: model.step, mu: encodeRows(model.model, data, all).mu }
    }
    const mu = this.latentCache.mu
    const latentDim = model.model.config.latentDim
    if (req.axes === 'pca') {
      const result = pca(mu)
      return { points: result.projected.map(([x, y]) => [x, y]), axes: [result.components[0], result.components[1]], origin: result.mean }
    }
    const [a, b] = req.dims ?? [0, 1]
    if (a >= latentDim || b >= latentDim) throw new StudioError('invalid-request', `the latent space has dimensions 0–${latentDim - 1}`)
    const unit = (d: number) => Array.from({ length: latentDim }, (_, i) => (i === d ? 1 : 0))
    return { points: mu.map((m) => [m[a], m[b]]), axes: [unit(a), unit(b)], origin: new Array(latentDim).fill(0) }
  }

  // ── latent tools (see latent-tools.ts) ──────────────────────────────────────────────────────

  async latentInterpolate(req: Parameters<StudioApi['latentInterpolate']>[0]): Promise<Sample> {
    return tools.interpolate(await this.toolContext(), req)
  }

  async latentArithmetic(req: Parameters<StudioApi['latentArithmetic']>[0]): Promise<{ z: number[]; image: RawImage }> {
    return tools.latentArithmetic(await this.toolContext(), req)
  }

  async recipeSave(req: Parameters<StudioApi['recipeSave']>[0]): Promise<LatentRecipe[]> {
    return tools.saveRecipe(await this.toolContext(), req)
  }

  async recipeList(): Promise<LatentRecipe[]> {
    return this.requireProject().file.recipes
  }

  async recipeDelete(req: { name: string }): Promise<LatentRecipe[]> {
    const project = this.requireProject()
    project.file = await saveProject(project.dir, { ...project.file, recipes: project.file.recipes.filter((r) => r.name !== req.name) })
    return project.file.recipes
  }

  async attributeCreate(req: Parameters<StudioApi['attributeCreate']>[0]): Promise<LatentAttribute[]> {
    return tools.createAttribute(await this.toolContext(), req)
  }

  async attributeList(): Promise<LatentAttribute[]> {
    return this.requireProject().file.attributes
  }

  async attributeDelete(req: { name: string }): Promise<LatentAttribute[]> {
    const project = this.requireProject()
    project.file = await saveProject(project.dir, { ...project.file, attributes: project.file.attributes.filter((a) => a.name !== req.name) })
    return project.file.attributes
  }

  async attributeApply(req: Parameters<StudioApi['attributeApply']>[0]): Promise<Sample> {
    return tools.applyNamedAttribute(await this.toolContext(), req)
  }

  async toolsDenoise(req: Parameters<StudioApi['toolsDenoise']>[0]): Promise<DenoiseResult> {
    return tools.denoiseImage(await this.toolContext(), req)
  }

  async toolsCompression(req: { index: number }): Promise<CompressionResult> {
    return tools.compression(await this.toolContext(), req)
  }

  async toolsNearest(req: { code: number[] }): Promise<NearestResult> {
    return tools.nearest(await this.toolContext(), req)
  }

  async latentTimeline(req: Parameters<StudioApi['latentTimeline']>[0]): Promise<{ frames: TimelineFrame[]; skipped: string[] }> {
    const project = this.requireProject()
    if (!project.file.dataset) throw new StudioError('not-found', 'this project has no images yet')
    return tools.checkpointTimeline(await this.toolContext(), req)
  }

  async latentFromPng(req: { png: Uint8Array }): Promise<{ code: number[]; seed?: number; checkpointStep?: number }> {
    return tools.codeFromPng(req)
  }

  async exportCodePng(req: Parameters<StudioApi['exportCodePng']>[0]): Promise<{ path: string | null; png: Uint8Array }> {
    return tools.exportCodePng(await this.toolContext(), req)
  }

  async exportAnimation(req: Parameters<StudioApi['exportAnimation']>[0]): Promise<{ path: string | null; bytes: Uint8Array }> {
    return tools.exportAnimation(req)
  }

  async exportModel(req: { folder: string }): Promise<ExportedModel> {
    return tools.exportModel(await this.toolContext(), req)
  }

  async exportPng(req: { images: RawImage[]; columns: number; path?: string }): Promise<{ path: string | null; png: Uint8Array }> {
    const png = await encodePng(req.images.length === 1 ? req.images[0] : composeGrid(req.images, req.columns))
    if (req.path) await writeFileAtomic(req.path, png)
    return { path: req.path ?? null, png }
  }

  /** Frees every tensor the session holds (tests check this leaves no tensor behind). */
  async dispose(): Promise<void> {
    if (this.run) {
      this.run.trainer.stop()
      await this.run.done
    }
    await this.gridDecoder.dispose()
    this.inferenceModel?.model.dispose()
    this.inferenceModel = null
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  private async toolContext(): Promise<tools.ToolContext> {
    const project = this.requireProject()
    const [model, data] = await Promise.all([this.requireModel(), this.requireDataset()])
    return {
      model: model.model,
      step: model.step,
      data,
      dir: project.dir,
      file: project.file,
      save: async (file) => (project.file = await saveProject(project.dir, file))
    }
  }

  private switchProject(dir: string, file: ProjectFile): void {
    this.project = { dir, file }
    this.dataset = null
    this.latentCache = null
    this.inferenceModel?.model.dispose()
    this.inferenceModel = null
    this.state = { state: 'idle' }
  }

  private async replaceDataset(source: string, options: ImportOptions, write: (outDir: string) => Promise<ImportResult>): Promise<ImportResult> {
    this.assertIdle('import images')
    if (this.importing) throw new StudioError('busy', 'an import is already running')
    const project = this.requireProject()
    const checkpoints = await listCheckpoints(project.dir)
    const current = project.file.dataset?.options
    if (checkpoints.length > 0 && current && (current.size !== options.size || current.channels !== options.channels)) {
      throw new StudioError(
        'invalid-request',
        `this project's model was trained on ${current.size} px ${current.channels === 1 ? 'grayscale' : 'colour'} images; ` +
          'import at that size and colour, or create a new project'
      )
    }
    this.importing = true
    try {
      const result = await write(projectPaths(project.dir).datasetDir)
      const dataset = { source, options, count: result.imported, importedAt: new Date().toISOString() }
      const model = { ...project.file.model, imageSize: options.size, channels: options.channels }
      project.file = await saveProject(project.dir, { ...project.file, dataset, model })
      this.dataset = null
      this.latentCache = null
      await this.announce()
      return result
    } finally {
      this.importing = false
    }
  }

  /** Tells every client what the engine now holds, whoever asked for the change. */
  private async announce(): Promise<ProjectSummary> {
    const summary = await this.summary()
    this.emit('project:changed', summary)
    return summary
  }

  private async summary(): Promise<ProjectSummary> {
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
      trainState: this.state
    }
  }

  private setState(state: TrainState): void {
    this.state = state
    this.emit('train:state', state)
  }

  private assertIdle(action: string): void {
    if (this.run) throw new StudioError('busy', `cannot ${action} while training runs: stop or pause it first`)
  }

  private requireProject(): { dir: string; file: ProjectFile } {
    if (!this.project) throw new StudioError('no-project', 'no project is open: create or open one first')
    return this.project
  }

  private requireRun(): Run {
    if (!this.run) throw new StudioError('invalid-request', 'no training run is active')
    return this.run
  }

  private async requireDataset(): Promise<OpenedDataset> {
    const project = this.requireProject()
    if (!project.file.dataset) throw new StudioError('not-found', 'this project has no images yet: import a folder or the demo faces first')
    this.dataset ??= await openDataset(projectPaths(project.dir).datasetDir)
    return this.dataset
  }

  /** The live model while training (decodes follow training), else the latest checkpoint's. */
  private async requireModel(): Promise<{ model: VaeModel; step: number }> {
    if (this.run) return { model: this.run.model, step: this.run.trainer.currentStep }
    if (this.inferenceModel) return this.inferenceModel
    const project = this.requireProject()
    const { checkpoint, problems } = await readLatestCheckpoint(project.dir)
    if (!checkpoint && problems.length > 0) throw new StudioError('bad-data', `no checkpoint of this project can be read: ${problems.join('; ')}`)
    if (!checkpoint) throw new StudioError('not-found', 'the model has not been trained yet: train it first')
    const model = new VaeModel(project.file.model, checkpoint.seeds.init)
    try {
      model.loadWeightArrays(checkpoint.tensors)
    } catch (err) {
      model.dispose()
      throw new StudioError('bad-data', err instanceof Error ? err.message : String(err))
    }
    this.replaceInferenceModel(model, checkpoint.step)
    return this.inferenceModel!
  }

  private replaceInferenceModel(model: VaeModel, step: number): void {
    if (this.inferenceModel && this.inferenceModel.model !== model) this.inferenceModel.model.dispose()
    this.inferenceModel = { model, step }
  }

  private checkIndices(indices: number[], count: number): void {
    const bad = indices.find((i) => i >= count)
    if (bad !== undefined) throw new StudioError('invalid-request', `image ${bad} does not exist: the dataset has ${count} images`)
  }
}

function isTerminal(state: TrainState): boolean {
  return state.state === 'finished' || state.state === 'stopped' || state.state === 'failed'
}

function sameArchitecture(a: ModelConfig, b: ModelConfig): boolean {
  return a.latentDim === b.latentDim && a.recon === b.recon && a.baseFilters === b.baseFilters && a.imageSize === b.imageSize && a.channels === b.channels
}
