/**
 * Decoding many codes without holding the engine's thread: slices of 32, with a turn of the event
 * loop between them, so requests (a drag on the latent canvas, a pause) are answered meanwhile.
 */
import type { RawImage } from '../../../shared/images'
import type { VaeModel } from '../model/vae-model'
import { decodeCodes } from './inference'

/** Gives the event loop a turn, so requests keep being answered between long stretches of work. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Decodes in slices of 32, yielding between them; `check` throws when the work was abandoned. */
export async function decodeInSlices(model: VaeModel, codes: number[][], check: () => void = () => undefined): Promise<RawImage[]> {
  const images: RawImage[] = []
  for (let i = 0; i < codes.length; i += 32) {
    images.push(...decodeCodes(model, codes.slice(i, i + 32)))
    await yieldToEvents()
    check()
  }
  return images
}
