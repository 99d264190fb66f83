/** Training runs: starting (or resuming from the last checkpoint), steering β, pausing, stopping. */
import { encoderWidth, type ModelConfig } from '../../../shared/config'
import type { EngineMethodsOf, Handlers, HistoryRow } from '../../../shared/contract'
import { StudioError, messageOf } from '../../../shared/errors'
import type { TrainState } from '../../../shared/events'
import { VaeModel } from '../model/vae-model'
import { readLatestCheckpoint } from '../project/checkpoint-reader'
import { isEpochRow, readHistory, truncateHistoryAfter } from '../project/history-log'
import { Trainer } from '../train/trainer'
import { writeDemoDataset } from './dataset-handlers'
import type { EngineSession } from './engine-session'
import type { OpenProject } from './open-project'
import type { Release } from './project-writer'
import { projectRunRecorder } from './project-run-recorder'
import { trainPlan } from './train-plan'
import { trainingWorkers } from './training-workers'

/** Images generated when training starts on a project with no dataset. */
export const defaultDemoCount = 2000

export function trainingHandlers(session: EngineSession): Handlers<EngineMethodsOf<'train'>> {
  return {
    trainStart: (req) => startRun(session, req.model, req.train),
    trainPlan: (req) => trainPlan(session, req.train, req.measure, defaultDemoCount),
    async trainPause() {
      session.requireRun().trainer.pause()
      return session.state
    },
    async trainResume() {
      session.requireRun().trainer.resume()
      return session.state
    },
    async trainStop() {
      const run = session.requireRun()
      run.trainer.stop()
      return run.done
    },
    async trainSetBeta(req) {
      const project = session.requireProject()
      const step = session.run?.trainer.currentStep ?? 0
      session.run?.trainer.setBeta(req.beta)
      const betaChanges = [...project.file.betaChanges.filter((c) => c.step !== step), { step, beta: req.beta }]
      await session.saveFile(project, { ...project.file, train: { ...project.file.train, beta: req.beta }, betaChanges })
      return { beta: req.beta }
    },
    async trainHistory() {
      const project = session.requireProject()
      const history = await readHistory(project.dir)
      const rows: HistoryRow[] = history.steps.map(({ step, epoch, loss, recon, kl, beta }) => ({ step, epoch, loss, recon, kl, beta }))
      const epochs = history.epochs.filter(isEpochRow).map(({ kind: _kind, t: _t, ...rest }) => rest)
      return { rows, epochs, betaChanges: project.file.betaChanges }
    }
  }
}

async function startRun(
  session: EngineSession,
  requested: ModelConfig,
  train: Parameters<Handlers<'trainStart'>['trainStart']>[0]['train']
): Promise<TrainState> {
  session.assertIdle('start training')
  const project = session.requireProject()
  // Held until the run ends: a second trainer or an import from another studio is refused meanwhile.
  const release = await session.writers.hold(project.dir, 'training')
  try {
    return await beginRun(session, project, requested, train, release)
  } catch (err) {
    await release()
    throw err
  }
}

async function beginRun(
  session: EngineSession,
  project: OpenProject,
  requested: ModelConfig,
  train: Parameters<Handlers<'trainStart'>['trainStart']>[0]['train'],
  release: Release
): Promise<TrainState> {
  if (!project.file.dataset) await writeDemoDataset(session, { count: defaultDemoCount, seed: train.seed, size: requested.imageSize })
  const data = await session.requireDataset()
  // The data decides the image shape; the request decides everything else.
  const model: ModelConfig = { ...requested, imageSize: data.size, channels: data.channels }
  const { checkpoint, problems } = await readLatestCheckpoint(project.dir)
  if (checkpoint && !sameArchitecture(project.file.model, model)) {
    throw new StudioError(
      'invalid-request',
      `this project's model was trained with latent size ${project.file.model.latentDim}, ${project.file.model.recon.toUpperCase()} loss, ${project.file.model.baseFilters} base filters and ${encoderWidth(project.file.model)} encoder filters; ` +
        'to train a different model, create a new project from the same folder'
    )
  }
  // Steps after the checkpoint will be redone: forget their history and β marks.
  const betaChanges = project.file.betaChanges.filter((c) => c.step <= (checkpoint?.step ?? 0))
  await session.saveFile(project, { ...project.file, model, train, betaChanges })
  // Also without a checkpoint: a run killed before its first one may have left history behind.
  await truncateHistoryAfter(project.dir, checkpoint?.step ?? 0)
  for (const problem of problems)
    session.emit('train:notice', { step: checkpoint?.step ?? 0, message: `${problem}; resuming from an older checkpoint` })

  const vae = new VaeModel(model, train.seed)
  const trainer = new Trainer({
    model: vae,
    config: train,
    data,
    // With `quality` on, a checkpoint may start a sample-quality measurement in the background.
    store: session.quality.watch(projectRunRecorder(project.dir), project, train),
    resumeFrom: checkpoint,
    workers: trainingWorkers(session.backend.name, train.workers),
    events: {
      progress: (p) => session.emit('train:progress', p),
      epoch: (e) => session.emit('train:epoch', e),
      // The run's end is announced below, once its model is ready to serve inference.
      state: (s) => isTerminal(s) || session.setState(s),
      notice: (n) => session.emit('train:notice', n)
    }
  })
  const done = trainer
    .run()
    .then((final) => ({ final, usable: true }))
    // A run that threw (e.g. a checkpoint that does not fit) leaves weights nobody trained.
    .catch((err: unknown) => ({
      final: { state: 'failed', reason: `training stopped: ${messageOf(err)}` } as TrainState,
      usable: false
    }))
    .then(async ({ final, usable }) => {
      await trainer.dispose().catch(() => undefined)
      if (usable) session.replaceInferenceModel(vae, trainer.currentStep)
      else vae.dispose()
      session.latentCache = null
      session.run = null
      await release().catch(() => undefined)
      session.setState(final)
      return final
    })
  session.run = { trainer, model: vae, done }
  session.setState({ state: 'running' })
  return session.state
}

function isTerminal(state: TrainState): boolean {
  return state.state === 'finished' || state.state === 'stopped' || state.state === 'failed'
}

function sameArchitecture(a: ModelConfig, b: ModelConfig): boolean {
  return (
    a.latentDim === b.latentDim &&
    a.recon === b.recon &&
    a.baseFilters === b.baseFilters &&
    encoderWidth(a) === encoderWidth(b) &&
    a.imageSize === b.imageSize &&
    a.channels === b.channels
  )
}
