/**
 * "The VAE as a codec": how many bytes the latent code of an image takes against the image itself
 * as PNG and JPEG, and what quality the reconstruction from the code has. The code wins on size by
 * orders of magnitude and loses on fidelity; the readout shows both so the user sees the trade.
 */
import type { CompressionResult } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { decodeCodes } from '../inference/inference'
import { encodePng, jpegRoundTrip } from '../image/png'
import type { VaeModel } from '../model/vae-model'
import { encodeImages } from './encode-images'
import { roundToFloat16 } from './float16'
import { psnr, ssim } from './image-quality'

const jpegQuality = 90

/** The contract's compression result without the original, which the caller already has. */
export type CompressionReadout = Omit<CompressionResult, 'original'>

export async function compressionReadout(model: VaeModel, image: RawImage): Promise<CompressionReadout> {
  const [mu] = encodeImages(model, [image])
  const [reconstruction, fromHalf] = decodeCodes(model, [mu, mu.map(roundToFloat16)])
  const { jpeg, decoded: jpegDecoded } = await jpegRoundTrip(image, jpegQuality)
  const png = await encodePng(image)
  return {
    latentDim: mu.length,
    codeBytesFloat32: mu.length * 4,
    codeBytesFloat16: mu.length * 2,
    rawBytes: image.pixels.length,
    pngBytes: png.length,
    jpegBytes: jpeg.length,
    jpegPsnr: psnr(image, { ...image, pixels: new Uint8Array(jpegDecoded.buffer, jpegDecoded.byteOffset, jpegDecoded.length) }),
    psnr: psnr(image, reconstruction),
    ssim: ssim(image, reconstruction),
    psnrFloat16: psnr(image, fromHalf),
    reconstruction
  }
}
