/**
 * Denoising by projection: the VAE has only learned to draw clean faces, so encoding a damaged
 * image to μ and decoding it lands on the nearest face the model can draw, dropping noise and
 * filling occlusions. It is a projection, not a restoration: details the model never learned are
 * lost too, which the PSNR/SSIM readout next to it makes visible.
 */
import type { RawImage } from '../../../shared/images'
import type { VaeModel } from '../model/vae-model'
import { reconstructImages } from './encode-images'

export function denoise(model: VaeModel, noisy: RawImage): RawImage {
  return reconstructImages(model, [noisy])[0]
}
