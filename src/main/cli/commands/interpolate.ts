/** `vae-studio interpolate`: the way from one image to another through the latent space, as a strip (and a GIF). */
import * as path from 'node:path'
import type { StudioApi } from '../../../shared/contract'
import { backendOption, defineCommand, imageNumbersNote } from '../command-spec'
import { imageNumberFlag, toRow } from '../image-numbers'
import { choiceFlag, numberFlag, parseCommand, required } from '../options'
import type { Reporter } from '../reporter'

export const interpolateCommand = defineCommand({
  name: 'interpolate',
  summary: 'decodes the way from one image to another as a strip of frames (and a looping GIF)',
  usage:
    '<project.vaeproj> --from <image#> --to <image#> --out strip.png [--frames 8] [--mode linear|spherical] [--gif anim.gif] [--delay 100]',
  positionals: { min: 1, max: 1 },
  options: {
    from: { type: 'string', value: '<image#>', help: 'the image to start from' },
    to: { type: 'string', value: '<image#>', help: 'the image to end at' },
    out: { type: 'string', value: '<file.png>', help: 'the strip of frames, one row' },
    frames: { type: 'string', value: '<n>', help: 'frames from start to end, both included (2–64, default 8)' },
    mode: { type: 'string', value: 'linear|spherical', help: 'a straight line or a great circle between the codes (default spherical)' },
    gif: { type: 'string', value: '<file.gif>', help: 'also write the frames as a GIF that plays there and back' },
    delay: { type: 'string', value: '<ms>', help: 'the GIF’s time per frame in milliseconds (default 100)' },
    backend: backendOption
  },
  notes: [imageNumbersNote]
})

export async function runInterpolate(args: string[], reporter: Reporter, studio: StudioApi): Promise<void> {
  const { values, positionals } = parseCommand(args, interpolateCommand)
  const from = required(imageNumberFlag('from', values.from), 'from', interpolateCommand)
  const to = required(imageNumberFlag('to', values.to), 'to', interpolateCommand)
  const out = path.resolve(required(values.out, 'out', interpolateCommand))
  const frames = numberFlag('frames', values.frames, { min: 2, max: 64, integer: true }) ?? 8
  const mode = choiceFlag('mode', values.mode, ['linear', 'spherical'] as const) ?? 'spherical'
  const delayMs = numberFlag('delay', values.delay, { min: 10, max: 10_000, integer: true }) ?? 100
  const { imageCount } = await studio.projectOpen({ path: path.resolve(positionals[0]) })
  const a = { index: toRow('from', from, imageCount) }
  const b = { index: toRow('to', to, imageCount) }
  const { images } = await studio.latentInterpolate({ a, b, frames, mode })
  await studio.exportPng({ images, columns: frames, path: out })
  let gif: string | null = null
  if (values.gif) {
    gif = path.resolve(values.gif)
    // Ping-pong so the loop has no jump back to the start.
    await studio.exportAnimation({ frames: [...images, ...images.slice(1, -1).reverse()], format: 'gif', delayMs, loop: 0, path: gif })
  }
  reporter.record(
    'result',
    { out, gif, from, to, frames, mode },
    `wrote ${frames} frames (${mode}) from image ${from} to image ${to} to ${values.out}${gif ? ` and ${values.gif}` : ''}`
  )
}
