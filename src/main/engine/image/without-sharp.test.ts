/**
 * Where sharp cannot load in the engine, importing and exporting still work through
 * @napi-rs/image and gifenc, and the engine says which library it runs on. The engine process
 * here is a real one whose `require('sharp')` throws.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EngineInfo, type ImportResult } from '../../../shared/contract'
import { unwrapEnvelope } from '../../../shared/errors'
import { forkEngine } from '../../host/fork-engine'
import { createStudioHost } from '../../host/studio-host'
import type { StudioHost } from '../../host/types'
import { memorySettingsStore } from '../../host/memory-settings-store'
import { tempDir } from '../../../../test/support/small-setup'

const blockSharp = path.resolve(__dirname, '../../../../test/support/block-sharp.cjs')
let root: string
let host: StudioHost
const call = async <T>(method: string, payload?: unknown): Promise<T> => unwrapEnvelope(await host.invoke(method, payload)) as T

beforeAll(async () => {
  root = await tempDir('no-sharp')
  const photos = path.join(root, 'photos')
  await fs.mkdir(photos)
  const gradient = Buffer.alloc(300 * 200 * 3)
  for (let i = 0; i < gradient.length; i += 3) gradient[i] = (i / 3) % 300
  await sharp(gradient, { raw: { width: 300, height: 200, channels: 3 } })
    .png()
    .toFile(path.join(photos, 'a.png'))
  // Stored sideways with EXIF orientation 6: upright it is 200 wide and 300 high.
  await sharp(gradient, { raw: { width: 300, height: 200, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toFile(path.join(photos, 'b.jpg'))
  await sharp(gradient, { raw: { width: 300, height: 200, channels: 3 } })
    .webp()
    .toFile(path.join(photos, 'c.webp'))
  await fs.writeFile(path.join(photos, 'notes.txt'), 'not a picture')
  await fs.writeFile(path.join(photos, 'cut.png'), (await fs.readFile(path.join(photos, 'a.png'))).subarray(0, 200))
  host = createStudioHost({
    transport: 'serve',
    settings: memorySettingsStore(),
    launchEngine: () => forkEngine({ ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${blockSharp}` }),
    allowedRoots: [root]
  })
})

afterAll(async () => {
  await host.dispose()
  await fs.rm(root, { recursive: true, force: true })
})

describe('an engine where sharp cannot load', () => {
  it('says it decodes with @napi-rs/image, and why', async () => {
    const info = await call<EngineInfo>('engineInfo')
    expect(info.imageLibrary).toEqual({
      name: '@napi-rs/image',
      problem: expect.stringMatching(/^sharp could not load: .*blocked by the test/)
    })
  })

  it('imports PNG, JPEG (upright) and WebP files and names what it skipped', async () => {
    await call('projectCreate', { path: path.join(root, 'p.vaeproj') })
    const result = await call<ImportResult>('datasetImport', {
      folder: path.join(root, 'photos'),
      options: { size: 32, fit: 'pad', channels: 3, maxPixels: 100_000_000, faces: { find: false } }
    })
    expect(result.imported).toBe(3)
    expect(result.skipped).toEqual([
      { file: 'cut.png', reason: expect.stringMatching(/^truncated or corrupt image/) },
      { file: 'notes.txt', reason: 'not an image' }
    ])
    const [a, b] = await call<Array<{ pixels: Uint8Array }>>('datasetThumbnails', { from: 0, count: 3 })
    // Letterboxed: the landscape PNG has black bands above and below, the upright JPEG beside.
    const at = (img: { pixels: Uint8Array }, x: number, y: number) => img.pixels[(y * 32 + x) * 3]
    expect([at(a, 16, 1), at(a, 1, 16) > 0 || at(a, 30, 16) > 0]).toEqual([0, true])
    expect(at(b, 1, 16)).toBe(0)
    expect(at(b, 16, 1) > 0 || at(b, 16, 30) > 0).toBe(true)
  })

  it('exports PNGs and GIFs, and says that animated WebP needs sharp', async () => {
    const frame = (level: number) => ({ width: 8, height: 8, channels: 1 as const, pixels: new Uint8Array(64).fill(level) })
    const { bytes: png } = await call<{ bytes: Uint8Array }>('exportPng', { images: [frame(10), frame(200)], columns: 2 })
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 8 * 2 + 3 * 2, height: 8 + 2 * 2 })
    const { bytes } = await call<{ bytes: Uint8Array }>('exportAnimation', {
      frames: [frame(0), frame(128), frame(255)],
      format: 'gif',
      delayMs: 100,
      loop: 0
    })
    const gif = await sharp(bytes, { animated: true }).metadata()
    expect(gif).toMatchObject({ format: 'gif', pages: 3, width: 8, pageHeight: 8, loop: 0 })
    const frames = await sharp(bytes, { animated: true }).raw().toBuffer()
    expect([frames[0], frames[8 * 8 * gif.channels! + 0], frames[2 * 8 * 8 * gif.channels!]]).toEqual([0, expect.any(Number), 255])
    const webp = await host.invoke('exportAnimation', { frames: [frame(0), frame(255)], format: 'webp', delayMs: 100, loop: 0 })
    expect(webp).toMatchObject({ error: { message: expect.stringContaining('animated WebP needs sharp') } })
  })
})
