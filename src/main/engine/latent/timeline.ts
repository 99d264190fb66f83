/**
 * "Watch it learn": one fixed grid of latent codes decoded by every saved checkpoint, oldest
 * first. Fixing the codes (by seed) is what makes frames comparable: the change from frame to
 * frame is the training, not the sampling. Only the checkpoints the project kept are available
 * (the store prunes old ones).
 */
import type { ModelConfig } from '../../../shared/config'
import type { TimelineFrame } from '../../../shared/results'
import { decodeCodes, sampleCodes } from '../inference/inference'
import { VaeModel } from '../model/vae-model'
import type { NamedArray } from '../project/checkpoint-manifest'
import { listCheckpoints } from '../project/checkpoint-list'
import { readCheckpoint } from '../project/checkpoint-reader'
import { ProjectError } from '../project/project-error'

export interface TimelineResult {
  frames: TimelineFrame[]
  /** Checkpoints that could not be read (damaged), with the reason; the timeline goes on without them. */
  skipped: string[]
}

export async function timeline(
  projectDir: string,
  config: ModelConfig,
  seed: number,
  count: number,
  temperature = 1
): Promise<TimelineResult> {
  const infos = (await listCheckpoints(projectDir)).sort((a, b) => a.step - b.step)
  const z = sampleCodes(config.latentDim, count, temperature, seed)
  const frames: TimelineFrame[] = []
  const skipped: string[] = []
  if (infos.length === 0) return { frames, skipped }
  // One model, reloaded per checkpoint: building the layers is the costly part.
  const model = new VaeModel(config, seed)
  try {
    for (const info of infos) {
      let tensors: NamedArray[]
      try {
        tensors = (await readCheckpoint(projectDir, info.name)).tensors
      } catch (err) {
        if (!(err instanceof ProjectError)) throw err
        skipped.push(err.message)
        continue
      }
      model.loadWeightArrays(tensors)
      frames.push({ step: info.step, epoch: info.epoch, images: decodeCodes(model, z) })
    }
  } finally {
    model.dispose()
  }
  return { frames, skipped }
}
