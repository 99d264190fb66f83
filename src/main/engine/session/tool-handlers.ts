/** Tools that judge the model on one image: denoising, the codec readout, the memorisation check. */
import type { Handlers, EngineMethodsOf, NoiseSpec } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { decodeCodes } from '../inference/inference'
import { compressionReadout } from '../latent/compression-readout'
import { addGaussianNoise, addSaltPepper, maskRect } from '../latent/corrupt'
import { denoise } from '../latent/denoise'
import { psnr, ssim } from '../latent/image-quality'
import { nearestImage } from '../latent/nearest-image'
import type { EngineSession } from './engine-session'
import { datasetImage, resolveRef, toolContext } from './tool-context'

export function toolHandlers(session: EngineSession): Handlers<EngineMethodsOf<'tools'>> {
  return {
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
    }
  }
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
