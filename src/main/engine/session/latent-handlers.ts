/** The latent space: its map, interpolation, arithmetic and its recipes, attribute vectors, the checkpoint timeline, codes from exported PNGs. */
import type { EngineMethodsOf, Handlers, LatentAttribute, LatentRecipe } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { labelAttributeNames, labelGroups } from '../dataset/face-labels'
import { readPngCode } from '../export/png-code'
import { decodeCodes, encodeRows } from '../inference/inference'
import { arithmetic } from '../latent/arithmetic'
import { applyAttribute, attributeVector } from '../latent/attribute'
import { interpolateCodes } from '../latent/interpolate'
import { pca } from '../latent/pca'
import { timeline } from '../latent/timeline'
import { checkRows } from '../dataset/image-numbers'
import type { EngineSession } from './engine-session'
import { muOf, resolveRef, toolContext, type ToolContext } from './tool-context'

export function latentHandlers(session: EngineSession): Handlers<EngineMethodsOf<'latent' | 'recipe' | 'attribute'>> {
  return {
    async latentInterpolate(req) {
      const ctx = await toolContext(session)
      const z = interpolateCodes(resolveRef(ctx, req.a), resolveRef(ctx, req.b), req.frames, req.mode)
      return { z, images: decodeCodes(ctx.model, z) }
    },
    async latentArithmetic(req) {
      const ctx = await toolContext(session)
      const z = arithmetic({ a: muOf(ctx, req.a), b: muOf(ctx, req.b), c: muOf(ctx, req.c) })
      return { z, image: decodeCodes(ctx.model, [z])[0] }
    },
    async recipeSave(req) {
      const ctx = await toolContext(session)
      checkRows([...req.a, ...req.b, ...req.c], ctx.data.count)
      const recipe: LatentRecipe = { ...req, createdAt: new Date().toISOString() }
      return (await ctx.save({ ...ctx.file, recipes: [...ctx.file.recipes.filter((r) => r.name !== req.name), recipe] })).recipes
    },
    recipeList: async () => session.requireProject().file.recipes,
    async recipeDelete(req) {
      const project = session.requireProject()
      return (await session.saveFile(project, { ...project.file, recipes: project.file.recipes.filter((r) => r.name !== req.name) }))
        .recipes
    },
    attributeCreate: async (req) => saveAttribute(await toolContext(session), req.name, req.withIndices, req.withoutIndices),
    async attributeFromLabel(req) {
      const ctx = await toolContext(session)
      const { withIndices, withoutIndices } = labelGroups(ctx.data.files, req.label)
      return saveAttribute(ctx, req.name ?? labelAttributeNames[req.label], withIndices, withoutIndices)
    },
    attributeList: async () => session.requireProject().file.attributes,
    async attributeDelete(req) {
      const project = session.requireProject()
      return (await session.saveFile(project, { ...project.file, attributes: project.file.attributes.filter((a) => a.name !== req.name) }))
        .attributes
    },
    async attributeApply(req) {
      const ctx = await toolContext(session)
      const attribute = ctx.file.attributes.find((a) => a.name === req.name)
      if (!attribute) throw new StudioError('not-found', `no attribute named "${req.name}" in this project`)
      if (attribute.vector.length !== ctx.model.config.latentDim) {
        throw new StudioError(
          'bad-data',
          `the attribute "${req.name}" was made for a latent size of ${attribute.vector.length}; create it again`
        )
      }
      const base = resolveRef(ctx, req.ref)
      const z = req.amounts.map((amount) => applyAttribute(base, attribute.vector, amount))
      return { z, images: decodeCodes(ctx.model, z) }
    },
    async latentMap(req) {
      const [model, data] = await Promise.all([session.requireModel(), session.requireDataset()])
      if (session.latentCache?.step !== model.step) {
        const all = Array.from({ length: data.count }, (_, i) => i)
        session.latentCache = { step: model.step, mu: encodeRows(model.model, data, all).mu }
      }
      const mu = session.latentCache.mu
      const latentDim = model.model.config.latentDim
      if (req.axes === 'pca') {
        const result = pca(mu)
        return { points: result.projected.map(([x, y]) => [x, y]), axes: [result.components[0], result.components[1]], origin: result.mean }
      }
      const [a, b] = req.dims ?? [0, 1]
      if (a >= latentDim || b >= latentDim) throw new StudioError('invalid-request', `the latent space has dimensions 0–${latentDim - 1}`)
      const unit = (d: number) => Array.from({ length: latentDim }, (_, i) => (i === d ? 1 : 0))
      return { points: mu.map((m) => [m[a], m[b]]), axes: [unit(a), unit(b)], origin: new Array(latentDim).fill(0) }
    },
    async latentTimeline(req) {
      const project = session.requireProject()
      if (!project.file.dataset) throw new StudioError('not-found', 'this project has no images yet')
      const ctx = await toolContext(session)
      return timeline(ctx.dir, ctx.file.model, req.seed, req.count, req.temperature)
    },
    async latentFromPng(req) {
      const found = readPngCode(req.png)
      if (!found)
        throw new StudioError('bad-data', 'this PNG carries no VAE Studio code: only images exported by the studio can be restored')
      return found
    }
  }
}

/** The direction from the mean code of `withoutIndices` to that of `withIndices`, saved under `name`. */
async function saveAttribute(ctx: ToolContext, name: string, withIndices: number[], withoutIndices: number[]): Promise<LatentAttribute[]> {
  const vector = attributeVector(muOf(ctx, withIndices), muOf(ctx, withoutIndices))
  const attribute: LatentAttribute = { name, vector, withIndices, withoutIndices, createdAt: new Date().toISOString() }
  return (await ctx.save({ ...ctx.file, attributes: [...ctx.file.attributes.filter((a) => a.name !== name), attribute] })).attributes
}
