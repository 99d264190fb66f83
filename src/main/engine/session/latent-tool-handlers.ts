/** The latent tools: interpolation, arithmetic and its recipes, attribute vectors, denoising, the codec readout, the memorisation check, the checkpoint timeline. */
import type { Handlers, LatentAttribute, LatentRecipe, NoiseSpec } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import type { RawImage } from '../../../shared/images'
import { labelAttributeNames, labelGroups } from '../dataset/face-labels'
import { readPngCode } from '../export/png-code'
import { decodeCodes } from '../inference/inference'
import { arithmetic } from '../latent/arithmetic'
import { applyAttribute, attributeVector } from '../latent/attribute'
import { compressionReadout } from '../latent/compression-readout'
import { addGaussianNoise, addSaltPepper, maskRect } from '../latent/corrupt'
import { denoise } from '../latent/denoise'
import { psnr, ssim } from '../latent/image-quality'
import { interpolateCodes } from '../latent/interpolate'
import { nearestImage } from '../latent/nearest-image'
import { timeline } from '../latent/timeline'
import { checkIndices, type EngineSession } from './engine-session'
import { datasetImage, muOf, resolveRef, toolContext, type ToolContext } from './tool-context'

type LatentToolMethod =
  | 'latentInterpolate'
  | 'latentArithmetic'
  | 'recipeSave'
  | 'recipeList'
  | 'recipeDelete'
  | 'attributeCreate'
  | 'attributeFromLabel'
  | 'attributeList'
  | 'attributeDelete'
  | 'attributeApply'
  | 'toolsDenoise'
  | 'toolsCompression'
  | 'toolsNearest'
  | 'latentTimeline'
  | 'latentFromPng'

export function latentToolHandlers(session: EngineSession): Handlers<LatentToolMethod> {
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
      checkIndices([...req.a, ...req.b, ...req.c], ctx.data.count)
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
    async toolsDenoise(req) {
      const ctx = await toolContext(session)
      const clean = datasetImage(ctx, req.index)
      const noisy = corrupt(clean, req.noise, req.seed)
      const denoised = denoise(ctx.model, noisy)
      return {
        clean,
        noisy,
        denoised,
        psnrNoisy: psnr(clean, noisy),
        psnrDenoised: psnr(clean, denoised),
        ssimNoisy: ssim(clean, noisy),
        ssimDenoised: ssim(clean, denoised)
      }
    },
    async toolsCompression(req) {
      const ctx = await toolContext(session)
      const original = datasetImage(ctx, req.index)
      return { original, ...(await compressionReadout(ctx.model, original)) }
    },
    async toolsNearest(req) {
      const ctx = await toolContext(session)
      const generated = decodeCodes(ctx.model, [resolveRef(ctx, { code: req.code })])[0]
      const found = nearestImage(generated, ctx.data)
      return { ...found, generated, nearest: datasetImage(ctx, found.index) }
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

function corrupt(image: RawImage, noise: NoiseSpec, seed: number): RawImage {
  if (noise.kind === 'gaussian') return addGaussianNoise(image, noise.sigma, seed)
  if (noise.kind === 'salt-pepper') return addSaltPepper(image, noise.amount, seed)
  const { width, height } = image
  return maskRect(image, {
    x: Math.round(noise.x * width),
    y: Math.round(noise.y * height),
    width: Math.max(1, Math.round(noise.width * width)),
    height: Math.max(1, Math.round(noise.height * height))
  })
}
