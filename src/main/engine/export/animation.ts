/**
 * Animated exports of frame sequences (interpolations, training timelines). sharp builds both from
 * one tall raw strip of frames (`pageHeight` = frame height): GIF for reach (every chat app and
 * browser plays it, palette-quantised by libvips), lossless WebP for exact frames.
 */
import sharp, { type Sharp } from 'sharp'
import type { RawImage } from '../../../shared/images'

export interface AnimationOptions {
  /** Time each frame stays on screen; one value for all frames, or one per frame. GIF stores centiseconds, so it rounds to 10 ms. */
  delayMs: number | number[]
  /** How many times to play; 0 = forever. */
  loop: number
}

function strip(frames: RawImage[], options: AnimationOptions): { input: Sharp; delay: number[] } {
  if (frames.length === 0) throw new Error('an animation needs at least one frame')
  const { width, height, channels } = frames[0]
  if (frames.some((f) => f.width !== width || f.height !== height || f.channels !== channels)) {
    throw new Error('all frames of an animation must have the same size and channels')
  }
  const delay = typeof options.delayMs === 'number' ? frames.map(() => options.delayMs as number) : options.delayMs
  if (delay.length !== frames.length) throw new Error(`got ${delay.length} delays for ${frames.length} frames`)
  if (delay.some((d) => !Number.isInteger(d) || d < 0 || d > 65535)) throw new Error('frame delays must be whole milliseconds in [0, 65535]')
  if (!Number.isInteger(options.loop) || options.loop < 0 || options.loop > 65535) throw new Error('loop must be a whole number in [0, 65535]')
  const pixels = Buffer.concat(frames.map((f) => f.pixels))
  const input = sharp(pixels, { raw: { width, height: height * frames.length, channels, pageHeight: height } })
  return { input, delay }
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}

export async function encodeGif(frames: RawImage[], options: AnimationOptions): Promise<Uint8Array> {
  const { input, delay } = strip(frames, options)
  return bytes(await input.gif({ delay, loop: options.loop }).toBuffer())
}

export async function encodeWebp(frames: RawImage[], options: AnimationOptions): Promise<Uint8Array> {
  const { input, delay } = strip(frames, options)
  return bytes(await input.webp({ delay, loop: options.loop, lossless: true }).toBuffer())
}
