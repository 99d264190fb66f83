/**
 * Animated exports of frame sequences (interpolations, training timelines): GIF for reach (every
 * chat app and browser plays it), lossless WebP for exact frames. sharp builds both from one tall
 * raw strip of frames (`pageHeight` = frame height), palette-quantising GIFs with libimagequant.
 * Where sharp cannot load, gifenc (pure JS) writes the GIF; animated WebP then is not offered.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc'
import type { Sharp } from 'sharp'
import type { RawImage } from '../../../shared/images'
import { imageLibrary, loadSharp, type SharpModule } from '../image/image-libraries'
import { toRgba } from '../image/pixel-layout'

export interface AnimationOptions {
  /** Time each frame stays on screen; one value for all frames, or one per frame. GIF stores centiseconds, so it rounds to 10 ms. */
  delayMs: number | number[]
  /** How many times to play; 0 = forever. */
  loop: number
}

function checkedDelays(frames: RawImage[], options: AnimationOptions): number[] {
  if (frames.length === 0) throw new Error('an animation needs at least one frame')
  const { width, height, channels } = frames[0]
  if (frames.some((f) => f.width !== width || f.height !== height || f.channels !== channels)) {
    throw new Error('all frames of an animation must have the same size and channels')
  }
  const delay = typeof options.delayMs === 'number' ? frames.map(() => options.delayMs as number) : options.delayMs
  if (delay.length !== frames.length) throw new Error(`got ${delay.length} delays for ${frames.length} frames`)
  if (delay.some((d) => !Number.isInteger(d) || d < 0 || d > 65535))
    throw new Error('frame delays must be whole milliseconds in [0, 65535]')
  if (!Number.isInteger(options.loop) || options.loop < 0 || options.loop > 65535)
    throw new Error('loop must be a whole number in [0, 65535]')
  return delay
}

function strip(sharp: SharpModule, frames: RawImage[]): Sharp {
  const { width, height, channels } = frames[0]
  const pixels = Buffer.concat(frames.map((f) => f.pixels))
  return sharp(pixels, { raw: { width, height: height * frames.length, channels, pageHeight: height } })
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}

export async function encodeGif(frames: RawImage[], options: AnimationOptions): Promise<Uint8Array> {
  const delay = checkedDelays(frames, options)
  const sharp = loadSharp()
  if (sharp) return bytes(await strip(sharp, frames).gif({ delay, loop: options.loop }).toBuffer())
  // One palette for the whole animation, so colours do not flicker from frame to frame.
  const rgba = frames.map(toRgba)
  const all = new Uint8Array(rgba.reduce((n, f) => n + f.length, 0))
  rgba.reduce((offset, f) => (all.set(f, offset), offset + f.length), 0)
  const palette = quantize(all, 256)
  const gif = GIFEncoder()
  // gifenc counts repeats after the first play: 0 forever, -1 none.
  const repeat = options.loop === 0 ? 0 : options.loop === 1 ? -1 : options.loop - 1
  rgba.forEach((frame, i) =>
    gif.writeFrame(applyPalette(frame, palette), frames[i].width, frames[i].height, { palette, delay: delay[i], repeat })
  )
  gif.finish()
  return gif.bytes()
}

export async function encodeWebp(frames: RawImage[], options: AnimationOptions): Promise<Uint8Array> {
  const delay = checkedDelays(frames, options)
  const sharp = loadSharp()
  if (!sharp) throw new Error(`animated WebP needs sharp, which is not in use here (${imageLibrary().problem}): export a GIF instead`)
  return bytes(await strip(sharp, frames).webp({ delay, loop: options.loop, lossless: true }).toBuffer())
}
