/**
 * Every contract method the engine answers, from the domain modules beside this file. Typed as
 * the contract's engine methods: a method the contract gives the engine and no module handles
 * does not compile.
 */
import type { EngineMethod, Handlers } from '../../../shared/contract'
import { datasetHandlers } from './dataset-handlers'
import type { EngineSession } from './engine-session'
import { exportHandlers } from './export-handlers'
import { inferenceHandlers } from './inference-handlers'
import { latentHandlers } from './latent-handlers'
import { projectHandlers } from './project-handlers'
import { qualityHandlers } from './quality-handlers'
import { toolHandlers } from './tool-handlers'
import { trainingHandlers } from './training-handlers'

export function engineHandlers(session: EngineSession): Handlers<EngineMethod> {
  return {
    ...projectHandlers(session),
    ...datasetHandlers(session),
    ...trainingHandlers(session),
    ...inferenceHandlers(session),
    ...latentHandlers(session),
    ...toolHandlers(session),
    ...exportHandlers(session),
    ...qualityHandlers(session)
  }
}
