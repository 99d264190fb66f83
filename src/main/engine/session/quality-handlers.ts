/**
 * Sample quality: face Fréchet distance, KID and identity of the newest weights, measured on
 * request (`quality:measure`, also while training) and kept in the project (`quality:history`).
 * The work lives in session-quality.ts; refused with the reason where the images are not faces.
 */
import type { EngineMethodsOf, Handlers } from '../../../shared/contract'
import type { EngineSession } from './engine-session'

export function qualityHandlers(session: EngineSession): Handlers<EngineMethodsOf<'quality'>> {
  return {
    qualityMeasure: (req) => session.quality.evaluate({ samples: req.samples, seed: req.seed, temperature: req.temperature }),
    qualityHistory: () => session.quality.history()
  }
}
