/**
 * The `trainPlan` method: what a run with given settings would take, before it starts. The pace
 * comes from the run going on, else from this project's checkpoint (seconds trained per step),
 * else from a few steps timed now on a throwaway model (kept per model shape and batch, so a
 * settings page that asks again does not train again).
 */
import type { TrainConfig } from '../../../shared/config'
import { recommendedSteps, startOfTraining, type Pace, type RunShape, type TrainPlan } from '../../../shared/run-length'
import { listCheckpoints } from '../project/checkpoint-list'
import { splitIndices } from '../train/data-split'
import { measurePace } from '../train/measure-pace'
import type { EngineSession } from './engine-session'
import { trainingWorkers } from './training-workers'

/** Paces timed per session, by what decides them (model, batch, threads, images). */
const measured = new WeakMap<EngineSession, Map<string, Pace>>()

/** `demoCount`: the images a project without a dataset will train on (the demo faces made at start). */
export async function trainPlan(session: EngineSession, train: TrainConfig, measure: boolean, demoCount: number): Promise<TrainPlan> {
  const project = session.requireProject()
  const data = project.file.dataset ? await session.requireDataset() : null
  const count = data?.count ?? demoCount
  const shape: RunShape = { trainImages: splitIndices(count, train.valFraction, train.seed).train.length, batchSize: train.batchSize }
  const plan = { shape, recommendedSteps: recommendedSteps(shape) }
  const run = session.run
  if (run) return { ...plan, at: run.trainer.position, pace: run.trainer.pace }
  const latest = (await listCheckpoints(project.dir)).find((c) => c.latest)
  const at = latest
    ? {
        step: latest.step,
        imagesSeen: latest.imagesSeen ?? latest.step * Math.min(shape.batchSize, shape.trainImages),
        trainedSec: latest.trainedSec ?? 0
      }
    : startOfTraining
  if (latest?.trainedSec && latest.step > 0 && latest.imagesSeen)
    return {
      ...plan,
      at,
      pace: { secPerStep: latest.trainedSec / latest.step, imagesPerStep: latest.imagesSeen / latest.step, source: 'project' }
    }
  if (!data) return { ...plan, at, pace: null }
  const model = { ...project.file.model, imageSize: data.size, channels: data.channels }
  const key = JSON.stringify([model, train.batchSize, train.workers, count, session.backend.name])
  const paces = measured.get(session) ?? new Map<string, Pace>()
  measured.set(session, paces)
  let pace = paces.get(key) ?? null
  if (!pace && measure) {
    pace = await measurePace({ model, train, data, workers: trainingWorkers(session.backend.name, train.workers) })
    paces.set(key, pace)
  }
  return { ...plan, at, pace }
}
