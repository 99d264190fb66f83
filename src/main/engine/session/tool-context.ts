/**
 * What the latent tools work on — the current model, its step, the dataset, the project file —
 * and the lookups they share: codes of dataset rows, a `LatentRef` resolved to a code, a row as
 * an image. Every lookup checks that the rows and code lengths exist in this model and dataset.
 */
import type { LatentRef } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import type { RawImage } from '../../../shared/images'
import type { OpenedDataset } from '../dataset/open-dataset'
import { datasetRowToRawImage } from '../image/raw-images'
import { encodeRows } from '../inference/inference'
import type { VaeModel } from '../model/vae-model'
import type { ProjectFile } from '../project/project-schema'
import { checkRows } from '../dataset/image-numbers'
import type { EngineSession } from './engine-session'

export interface ToolContext {
  model: VaeModel
  step: number
  data: OpenedDataset
  dir: string
  file: ProjectFile
  /** Persists a changed project.json (recipes, attributes) and returns what was saved. */
  save(file: ProjectFile): Promise<ProjectFile>
}

export async function toolContext(session: EngineSession): Promise<ToolContext> {
  const project = session.requireProject()
  const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
  return {
    model: model.model,
    step: model.step,
    data,
    dir: project.dir,
    file: project.file,
    save: (file) => session.saveFile(project, file)
  }
}

export function muOf(ctx: ToolContext, indices: number[]): number[][] {
  checkRows(indices, ctx.data.count)
  return encodeRows(ctx.model, ctx.data, indices).mu
}

export function resolveRef(ctx: ToolContext, ref: LatentRef): number[] {
  if ('index' in ref) return muOf(ctx, [ref.index])[0]
  if (ref.code.length !== ctx.model.config.latentDim) {
    throw new StudioError(
      'invalid-request',
      `a code has ${ref.code.length} values but this model's latent space has ${ctx.model.config.latentDim} dimensions`
    )
  }
  return ref.code
}

export function datasetImage(ctx: ToolContext, index: number): RawImage {
  checkRows([index], ctx.data.count)
  return datasetRowToRawImage(ctx.data.images, index, ctx.data.size, ctx.data.channels)
}
