/**
 * PNGs that remember where they came from: the latent code (and seed and checkpoint step) of an
 * exported image rides along in an iTXt chunk, so dropping the file back into the studio restores
 * the exact point in latent space instead of re-encoding the pixels (which would land elsewhere).
 */
import { z } from 'zod'
import type { RawImage } from '../../../shared/images'
import { encodePng } from '../image/png'
import { addPngText, readPngText } from './png-text'

/** The chunk keyword; other software shows it as the text's title. */
export const pngCodeKeyword = 'vae-studio'

const pngCodeSchema = z.object({
  format: z.literal('vae-studio-code'),
  version: z.literal(1),
  code: z.array(z.number().finite()).min(1).max(4096),
  seed: z.number().int().optional(),
  checkpointStep: z.number().int().min(0).optional()
})

export interface PngCode {
  code: number[]
  seed?: number
  checkpointStep?: number
}

export async function encodePngWithCode(image: RawImage, meta: PngCode): Promise<Uint8Array> {
  const payload = pngCodeSchema.parse({ format: 'vae-studio-code', version: 1, ...meta })
  return addPngText(await encodePng(image), pngCodeKeyword, JSON.stringify(payload))
}

/**
 * The code stored by `encodePngWithCode`, or null when the PNG carries none (any other PNG) or
 * one this version cannot read. Throws when the bytes are not a PNG or the chunks read on the way
 * to ours are damaged (it stops at our chunk, so a damaged image body after it goes unnoticed).
 */
export function readPngCode(bytes: Uint8Array): PngCode | null {
  const text = readPngText(bytes, pngCodeKeyword)
  if (text === null) return null
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = pngCodeSchema.safeParse(json)
  if (!parsed.success) return null
  const { code, seed, checkpointStep } = parsed.data
  return { code, ...(seed !== undefined ? { seed } : {}), ...(checkpointStep !== undefined ? { checkpointStep } : {}) }
}
