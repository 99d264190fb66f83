/**
 * The latent tools of the contract, over the session's current model and dataset. Kept apart from
 * the session so that file stays about lifecycle (projects, training), this one about using a
 * trained model.
 */
import type {
  CompressionResult,
  DenoiseResult,
  ExportedModel,
  LatentAttribute,
  LatentRecipe,
  LatentRef,
  NearestResult,
  NoiseSpec,
  Sample,
  TimelineFrame
} from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import type { RawImage } from '../../../shared/images'
import type { OpenedDataset } from '../dataset/open-dataset'
import { encodeGif, encodeWebp } from '../export/animation'
import { exportLayersModel } from '../export/layers-model'
import { encodePngWithCode, readPngCode } from '../export/png-code'
import { writeFileAtomic } from '../fs/atomic-write'
import { datasetRowToRawImage } from '../image/raw-images'
import { decodeCodes, encodeRows } from '../inference/inference'
import { arithmetic } from '../latent/arithmetic'
import { applyAttribute, attributeVector } from '../latent/attribute'
import { compressionReadout } from '../latent/compression-readout'
import { addGaussianNoise, addSaltPepper, maskRect } from '../latent/corrupt'
import { denoise } from '../latent/denoise'
import { psnr, ssim } from '../latent/image-quality'
import { interpolateCodes } from '../latent/interpolate'
import { nearestImage } from '../latent/nearest-image'
import { timeline } from '../latent/timeline'
import type { VaeModel } from '../model/vae-model'
import type { ProjectFile } from '../project/project-schema'

export interface ToolContext {
  model: VaeModel
  step: number
  data: OpenedDataset
  dir: string
  file: ProjectFile
  /** Persists a changed project.json (recipes, attributes) and returns what was saved. */
  save(file: ProjectFile): Promise<ProjectFile>
}

function checkIndices(ctx: ToolContext, indices: number[]): void {
  const bad = indices.find((i) => i >= ctx.data.count)
  if (bad !== undefined) throw new StudioError('invalid-request', `image ${bad} does not exist: the dataset has ${ctx.data.count} images`)
}

function muOf(ctx: ToolContext, indices: number[]): number[][] {
  checkIndices(ctx, indices)
  return encodeRows(ctx.model, ctx.data, indices).mu
}

function resolve(ctx: ToolContext, ref: LatentRef): number[] {
  if ('index' in ref) return muOf(ctx, [ref.index])[0]
  if (ref.code.length !== ctx.model.config.latentDim) {
    throw new StudioError('invalid-request', `a code has ${ref.code.length} values but this model's latent space has ${ctx.model.config.latentDim} dimensions`)
  }
  return ref.code
}

function row(ctx: ToolContext, index: number): RawImage {
  checkIndices(ctx, [index])
  return datasetRowToRawImage(ctx.data.images, index, ctx.data.size, ctx.data.channels)
}

export function interpolate(ctx: ToolContext, req: { a: LatentRef; b: LatentRef; frames: number; mode: 'linear' | 'spherical' }): Sample {
  const z = interpolateCodes(resolve(ctx, req.a), resolve(ctx, req.b), req.frames, req.mode)
  return { z, images: decodeCodes(ctx.model, z) }
}

export function latentArithmetic(ctx: ToolContext, req: { a: number[]; b: number[]; c: number[] }): { z: number[]; image: RawImage } {
  const z = arithmetic({ a: muOf(ctx, req.a), b: muOf(ctx, req.b), c: muOf(ctx, req.c) })
  return { z, image: decodeCodes(ctx.model, [z])[0] }
}

export async function saveRecipe(ctx: ToolContext, req: { name: string; a: number[]; b: number[]; c: number[] }): Promise<LatentRecipe[]> {
  checkIndices(ctx, [...req.a, ...req.b, ...req.c])
  const recipe: LatentRecipe = { ...req, createdAt: new Date().toISOString() }
  const recipes = [...ctx.file.recipes.filter((r) => r.name !== req.name), recipe]
  return (await ctx.save({ ...ctx.file, recipes })).recipes
}

export async function createAttribute(ctx: ToolContext, req: { name: string; withIndices: number[]; withoutIndices: number[] }): Promise<LatentAttribute[]> {
  const vector = attributeVector(muOf(ctx, req.withIndices), muOf(ctx, req.withoutIndices))
  const attribute: LatentAttribute = { ...req, vector, createdAt: new Date().toISOString() }
  const attributes = [...ctx.file.attributes.filter((a) => a.name !== req.name), attribute]
  return (await ctx.save({ ...ctx.file, attributes })).attributes
}

export function applyNamedAttribute(ctx: ToolContext, req: { ref: LatentRef; name: string; amounts: number[] }): Sample {
  const attribute = ctx.file.attributes.find((a) => a.name === req.name)
  if (!attribute) throw new StudioError('not-found', `no attribute named "${req.name}" in this project`)
  if (attribute.vector.length !== ctx.model.config.latentDim) {
    throw new StudioError('bad-data', `the attribute "${req.name}" was made for a latent size of ${attribute.vector.length}; create it again`)
  }
  const base = resolve(ctx, req.ref)
  const z = req.amounts.map((amount) => applyAttribute(base, attribute.vector, amount))
  return { z, images: decodeCodes(ctx.model, z) }
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

export function denoiseImage(ctx: ToolContext, req: { index: number; noise: NoiseSpec; seed: number }): DenoiseResult {
  const clean = row(ctx, req.index)
  const noisy = corrupt(clean, req.noise, req.seed)
  const denoised = denoise(ctx.model, noisy)
  return { clean, noisy, denoised, psnrNoisy: psnr(clean, noisy), psnrDenoised: psnr(clean, denoised), ssimNoisy: ssim(clean, noisy), ssimDenoised: ssim(clean, denoised) }
}

export async function compression(ctx: ToolContext, req: { index: number }): Promise<CompressionResult> {
  const original = row(ctx, req.index)
  return { original, ...(await compressionReadout(ctx.model, original)) }
}

export function nearest(ctx: ToolContext, req: { code: number[] }): NearestResult {
  const generated = decodeCodes(ctx.model, [resolve(ctx, { code: req.code })])[0]
  const found = nearestImage(generated, ctx.data)
  return { ...found, generated, nearest: row(ctx, found.index) }
}

export async function checkpointTimeline(ctx: ToolContext, req: { count: number; seed: number; temperature: number }): Promise<{ frames: TimelineFrame[]; skipped: string[] }> {
  return timeline(ctx.dir, ctx.file.model, req.seed, req.count, req.temperature)
}

export function codeFromPng(req: { png: Uint8Array }): { code: number[]; seed?: number; checkpointStep?: number } {
  const found = readPngCode(req.png)
  if (!found) throw new StudioError('bad-data', 'this PNG carries no VAE Studio code: only images exported by the studio can be restored')
  return found
}

export async function exportCodePng(ctx: ToolContext, req: { code: number[]; seed?: number; path?: string }): Promise<{ path: string | null; png: Uint8Array }> {
  const image = decodeCodes(ctx.model, [resolve(ctx, { code: req.code })])[0]
  const png = await encodePngWithCode(image, { code: req.code, seed: req.seed, checkpointStep: ctx.step })
  if (req.path) await writeFileAtomic(req.path, png)
  return { path: req.path ?? null, png }
}

export async function exportAnimation(req: { frames: RawImage[]; format: 'gif' | 'webp'; delayMs: number; loop: number; path?: string }): Promise<{ path: string | null; bytes: Uint8Array }> {
  const encode = req.format === 'gif' ? encodeGif : encodeWebp
  const bytes = await encode(req.frames, { delayMs: req.delayMs, loop: req.loop })
  if (req.path) await writeFileAtomic(req.path, bytes)
  return { path: req.path ?? null, bytes }
}

export async function exportModel(ctx: ToolContext, req: { folder: string }): Promise<ExportedModel> {
  const info = await exportLayersModel(ctx.model, req.folder)
  return { folder: req.folder, encoder: info.encoder, decoder: info.decoder, latentDim: info.latentDim, imageSize: info.imageSize, channels: info.channels }
}
