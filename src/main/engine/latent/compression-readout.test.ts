import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '../tf'
import type { RawImage } from '../../../shared/images'
import { generateDemoFaces } from '../demo/generate'
import { VaeModel } from '../model/vae-model'
import { smallModel, useWasm } from '../../../../test/support/small-setup'
import { compressionReadout } from './compression-readout'
import { luma } from './image-quality'

// The trained-model figures are checked in trained-demo.test.ts; this covers shapes and grayscale.
let model: VaeModel
const face = generateDemoFaces(1, 3, 32).images
const gray: RawImage = {
  width: 32,
  height: 32,
  channels: 1,
  pixels: Uint8Array.from(luma({ width: 32, height: 32, channels: 3, pixels: face }), Math.round)
}

beforeAll(async () => {
  await useWasm()
  model = new VaeModel({ ...smallModel, channels: 1, latentDim: 10 }, 4)
})
afterAll(() => model.dispose())

describe('compressionReadout', () => {
  it('handles grayscale images and counts bytes from the latent size', async () => {
    const before = tf.memory().numTensors
    const readout = await compressionReadout(model, gray)
    expect(tf.memory().numTensors).toBe(before)
    expect(readout).toMatchObject({ latentDim: 10, codeBytesFloat32: 40, codeBytesFloat16: 20, rawBytes: 1024 })
    expect(readout.reconstruction).toMatchObject({ width: 32, height: 32, channels: 1 })
    expect(readout.pngBytes).toBeGreaterThan(100)
    expect(readout.jpegPsnr).toBeGreaterThan(30)
    expect(Number.isFinite(readout.psnr)).toBe(true)
  })

  it('refuses an image the model was not built for', async () => {
    await expect(compressionReadout(model, { width: 32, height: 32, channels: 3, pixels: face })).rejects.toThrow(
      /takes 32×32 images with 1 channel/
    )
  })
})
