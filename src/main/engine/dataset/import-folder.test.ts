import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { deflateSync } from 'node:zlib'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions, type ImportOptions } from '../../../shared/config'
import type { ImportProgress } from '../../../shared/events'
import { readDatasetIndex, type IndexEntry } from './dataset-index'
import { importFolder } from './import-folder'
import { openDataset } from './open-dataset'
import { pngChunk } from '../export/png-text'
import { faceSet } from '../../../../test/support/datasets'

const ORL = faceSet('orl_faces')
const S = 32
const options: ImportOptions = {
  ...defaultImportOptions,
  size: S,
  fit: 'crop',
  channels: 3,
  faces: { ...defaultImportOptions.faces, find: false }
}

let tmp: string
let folder: string

/** Solid-colour image encoded by sharp. */
function solid(w: number, h: number, rgb: [number, number, number]): Sharp {
  return sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
}

/** Raw interleaved pixels from a per-pixel function, as a sharp input. */
function draw(w: number, h: number, channels: 3 | 4, pixel: (x: number, y: number) => number[]): Sharp {
  const data = Buffer.alloc(w * h * channels)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(pixel(x, y), (y * w + x) * channels)
  return sharp(data, { raw: { width: w, height: h, channels } })
}

/** A valid PNG header declaring 50000×50000 RGB pixels, with a token IDAT: a decompression bomb's shape. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(50_000, 0)
  ihdr.writeUInt32BE(50_000, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

async function put(rel: string, data: Buffer | string): Promise<void> {
  const file = path.join(folder, rel)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, data)
}

async function link(rel: string, target: string): Promise<void> {
  const file = path.join(folder, rel)
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.symlink(target, file)
}

/** RGB (or gray) of pixel (x, y) of row `row` in an images.u8 buffer. */
function pixelAt(images: Uint8Array, row: number, x: number, y: number, channels: number): number[] {
  const start = ((row * S + y) * S + x) * channels
  return [...images.subarray(start, start + channels)]
}

function entry(files: IndexEntry[], file: string): IndexEntry {
  const found = files.find((f) => f.file === file)
  if (!found) throw new Error(`${file} is not in the index`)
  return found
}

function expectNear(actual: number[], expected: number[], tolerance = 12): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance))
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'vae-import-'))
  folder = path.join(tmp, 'photos')
  await fs.mkdir(folder)

  const red = await solid(40, 40, [255, 0, 0]).png().toBuffer()
  await put('colors/red.png', red)
  await put('colors/green.jpg', await solid(40, 40, [0, 255, 0]).jpeg({ quality: 95 }).toBuffer())
  await put('colors/blue.webp', await solid(40, 40, [0, 0, 255]).webp({ lossless: true }).toBuffer())
  await put('formats/yellow.tiff', await solid(40, 40, [255, 255, 0]).tiff().toBuffer())
  await put('formats/magenta.avif', await solid(40, 40, [255, 0, 255]).avif({ lossless: true }).toBuffer())
  const white = await solid(40, 40, [255, 255, 255]).png().toBuffer()
  const black = await solid(40, 40, [0, 0, 0]).png().toBuffer()
  await put(
    'formats/anim.gif',
    await sharp([white, black], { join: { animated: true } })
      .gif()
      .toBuffer()
  )

  // Left half opaque white, right half fully transparent white: alpha must flatten onto black.
  await put(
    'alpha.png',
    await draw(40, 40, 4, (x) => (x < 20 ? [255, 255, 255, 255] : [255, 255, 255, 0]))
      .png()
      .toBuffer()
  )
  // 16-bit gray-ish RGB at 32896/65535 = 128/255.
  const deep = new Uint16Array(40 * 40 * 3).fill(128 * 257)
  await put(
    'deep.png',
    await sharp(deep, { raw: { width: 40, height: 40, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer()
  )
  // Stored with its left half white; EXIF orientation 6 turns it 90° clockwise, so white goes on top.
  const halves = draw(64, 64, 3, (x) => (x < 32 ? [255, 255, 255] : [0, 0, 0]))
  await put('rotated.jpg', await halves.jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer())
  // 96×48, red in its left quarter: cropping cuts the red away, padding keeps it and adds black bands.
  await put(
    'wide.png',
    await draw(96, 48, 3, (x) => (x < 24 ? [255, 0, 0] : [255, 255, 255]))
      .png()
      .toBuffer()
  )

  await put('nested/a/b/cyan.png', await solid(40, 40, [0, 255, 255]).png().toBuffer())
  await put('nested/copy-of-red.png', red)
  await put('README.txt', 'not a picture\n')
  await put('.hidden.png', red)
  await put('.git/objects/x.png', white)

  const noisy = await draw(200, 200, 3, (x, y) => [(x * 37 + y * 11) % 256, (x * y) % 256, (x ^ y) % 256])
    .jpeg()
    .toBuffer()
  await put('broken/truncated.jpg', noisy.subarray(0, noisy.length >> 1))
  await put('broken/empty.png', Buffer.alloc(0))
  await put('broken/notes.png', 'this is text, not a PNG\n')
  await put('broken/bomb.png', bombPng())

  await fs.writeFile(path.join(tmp, 'outside.png'), red)
  await link('links/outside.png', path.join(tmp, 'outside.png'))
  await link('links/loop', '..')
  await link('links/alias', '../nested')
  await link('links/self', 'self')
  await link('links/inside.png', '../colors/red.png')
  await link('links/dangling.png', 'nowhere.png')
})

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true })
})

describe('importFolder', () => {
  it('imports every decodable image and lists every other file with its reason', async () => {
    const out = path.join(tmp, 'rgb')
    const events: ImportProgress[] = []
    const result = await importFolder(folder, out, options, { onProgress: (p) => events.push(p) })

    const imported = [
      'alpha.png',
      'colors/blue.webp',
      'colors/green.jpg',
      'colors/red.png',
      'deep.png',
      'formats/anim.gif',
      'formats/magenta.avif',
      'formats/yellow.tiff',
      'nested/a/b/cyan.png',
      'rotated.jpg',
      'wide.png'
    ]
    expect(result.imported).toBe(imported.length)
    expect(result.duplicates).toBe(2)
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]))
    expect(Object.keys(reasons).sort()).toEqual([
      'README.txt',
      'broken/bomb.png',
      'broken/empty.png',
      'broken/notes.png',
      'broken/truncated.jpg',
      'links/alias',
      'links/dangling.png',
      'links/loop',
      'links/outside.png',
      'links/self'
    ])
    expect(reasons['README.txt']).toBe('not an image')
    expect(reasons['broken/notes.png']).toBe('not an image')
    expect(reasons['broken/empty.png']).toBe('empty file')
    expect(reasons['broken/truncated.jpg']).toMatch(/^truncated or corrupt image: /)
    expect(reasons['broken/bomb.png']).toBe(`too large: 50000×50000 pixels exceeds the limit of ${options.maxPixels}`)
    expect(reasons['links/outside.png']).toBe('symlink outside the folder')
    expect(reasons['links/loop']).toBe('symlink loop')
    expect(reasons['links/alias']).toBe('symlink to a folder already included (nested)')
    expect(reasons['links/self']).toBe('symlink loop')
    expect(reasons['links/dangling.png']).toMatch(/^unreadable: broken symlink/)

    const index = await readDatasetIndex(out)
    expect(index).toMatchObject({ version: 2, size: S, channels: 3, fit: 'crop', count: imported.length })
    const names = index.files.map((f) => f.file)
    expect(names).toEqual([...names].sort())
    expect(names.some((n) => n.includes('.hidden') || n.includes('.git'))).toBe(false)
    expect(index.files.filter((f) => f.status === 'imported').map((f) => f.file)).toEqual(imported)
    expect(index.files.filter((f) => f.status === 'imported').map((f) => f.index)).toEqual(imported.map((_, i) => i))
    const red = entry(index.files, 'colors/red.png')
    for (const copy of ['links/inside.png', 'nested/copy-of-red.png']) {
      expect(entry(index.files, copy)).toMatchObject({
        status: 'duplicate',
        hash: red.hash,
        index: red.index,
        reason: 'duplicate of colors/red.png'
      })
    }
    expect(entry(index.files, 'broken/notes.png')).toMatchObject({ status: 'skipped', reason: 'not an image' })
    expect(red.hash).toMatch(/^[0-9a-f]{64}$/)

    const { images } = await openDataset(out)
    expect(images.length).toBe(imported.length * S * S * 3)
    const row = (file: string): number => entry(index.files, file).index!
    const centre = (file: string): number[] => pixelAt(images, row(file), S / 2, S / 2, 3)
    expectNear(centre('colors/red.png'), [255, 0, 0], 2)
    expectNear(centre('colors/green.jpg'), [0, 255, 0])
    expectNear(centre('colors/blue.webp'), [0, 0, 255], 2)
    expectNear(centre('formats/yellow.tiff'), [255, 255, 0], 2)
    expectNear(centre('formats/magenta.avif'), [255, 0, 255])
    expectNear(centre('formats/anim.gif'), [255, 255, 255], 2) // the first frame, not the black second
    expectNear(centre('nested/a/b/cyan.png'), [0, 255, 255], 2)
    expectNear(centre('deep.png'), [128, 128, 128], 1)
    expectNear(pixelAt(images, row('alpha.png'), 4, 16, 3), [255, 255, 255], 2)
    expectNear(pixelAt(images, row('alpha.png'), 28, 16, 3), [0, 0, 0], 2)
    // Unrotated these two would be black and white; turned counter-clockwise, both black.
    expectNear(pixelAt(images, row('rotated.jpg'), 24, 4, 3), [255, 255, 255])
    expectNear(pixelAt(images, row('rotated.jpg'), 8, 28, 3), [0, 0, 0])
    // Centre crop keeps columns 24..71 of the 96 wide source: all white.
    expectNear(pixelAt(images, row('wide.png'), 1, 16, 3), [255, 255, 255], 2)
    expectNear(pixelAt(images, row('wide.png'), 16, 1, 3), [255, 255, 255], 2)

    const last = events.at(-1)!
    expect(last).toMatchObject({ done: index.files.length, total: index.files.length, imported: imported.length, skipped: 10 })
    expect(events.length).toBeLessThan(index.files.length)
    expect((await fs.readdir(out)).sort()).toEqual(['images.u8', 'index.json'])
  })

  it('pads instead of cropping, on black', async () => {
    const out = path.join(tmp, 'pad')
    await importFolder(folder, out, { ...options, fit: 'pad' })
    const { images, files, fit } = await openDataset(out)
    expect(fit).toBe('pad')
    const row = entry(files, 'wide.png').index!
    // 96×48 scaled to 32×16, centred: black bands above and below, the red quarter kept on the left.
    expectNear(pixelAt(images, row, 16, 2, 3), [0, 0, 0], 2)
    expectNear(pixelAt(images, row, 16, 29, 3), [0, 0, 0], 2)
    expectNear(pixelAt(images, row, 3, 16, 3), [255, 0, 0], 8)
    expectNear(pixelAt(images, row, 24, 16, 3), [255, 255, 255], 2)
    // A square image fills the whole square either way.
    expectNear(pixelAt(images, entry(files, 'colors/red.png').index!, 0, 0, 3), [255, 0, 0], 2)
  })

  it('writes one gray channel when asked', async () => {
    const out = path.join(tmp, 'gray')
    const result = await importFolder(folder, out, { ...options, channels: 1 })
    const { images, files, channels } = await openDataset(out)
    expect(channels).toBe(1)
    expect(images.length).toBe(result.imported * S * S)
    const gray = (file: string): number => pixelAt(images, entry(files, file).index!, S / 2, S / 2, 1)[0]
    // libvips weighs linear light: pure red has luminance 0.2126, which is sRGB 127, not 0.2126 × 255.
    expect(gray('colors/red.png')).toBeGreaterThan(115)
    expect(gray('colors/red.png')).toBeLessThan(140)
    expect(gray('colors/green.jpg')).toBeGreaterThan(gray('colors/red.png'))
    expect(gray('deep.png')).toBeGreaterThan(120)
    expect(gray('deep.png')).toBeLessThan(136)
  })

  it('cancels on abort and leaves the previous dataset as it was', async () => {
    const out = path.join(tmp, 'abort')
    const first = await importFolder(folder, out, options)
    const before = await openDataset(out)
    const controller = new AbortController()
    const attempt = importFolder(
      folder,
      out,
      { ...options, size: 64 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done >= 1) controller.abort()
        }
      }
    )
    await expect(attempt).rejects.toThrow(/cancelled/)
    const after = await openDataset(out)
    expect(after.count).toBe(first.imported)
    expect(after.size).toBe(S)
    expect(Buffer.from(after.images).equals(Buffer.from(before.images))).toBe(true)
    expect((await fs.readdir(out)).sort()).toEqual(['images.u8', 'index.json'])
  })

  it('refuses a missing folder and a folder without images, writing nothing', async () => {
    await expect(importFolder(path.join(tmp, 'nope'), path.join(tmp, 'o1'), options)).rejects.toThrow(/folder not found: /)
    const empty = path.join(tmp, 'no-images')
    await fs.mkdir(empty)
    await fs.writeFile(path.join(empty, 'a.txt'), 'text')
    await fs.writeFile(path.join(empty, 'b.jpg'), '')
    const out = path.join(tmp, 'o2')
    await expect(importFolder(empty, out, options)).rejects.toThrow(
      `no images found in ${empty}: 2 files skipped (1 not an image, 1 empty file)`
    )
    expect(await fs.readdir(out)).toEqual([])
  })

  it('leaves out its own output folder when it lies inside the imported one', async () => {
    const own = path.join(tmp, 'own')
    await fs.mkdir(own)
    await fs.writeFile(path.join(own, 'face.png'), await solid(8, 8, [9, 9, 9]).png().toBuffer())
    const out = path.join(own, 'dataset')
    await importFolder(own, out, options)
    const again = await importFolder(own, out, options)
    expect(again).toMatchObject({ imported: 1, skipped: [], duplicates: 0 })
  })

  it('refuses real images over the pixel limit, naming their size', async () => {
    // The three 40×40 colour files are 1600 pixels each: one over a limit of 1599.
    await expect(importFolder(path.join(folder, 'colors'), path.join(tmp, 'o4'), { ...options, maxPixels: 1599 })).rejects.toThrow(
      /: 3 files skipped \(3 too large\)$/
    )
    const result = await importFolder(path.join(folder, 'colors'), path.join(tmp, 'o5'), { ...options, maxPixels: 1600 })
    expect(result.imported).toBe(3)
  })

  it.skipIf(process.getuid?.() === 0)('lists files it may not read', async () => {
    const locked = path.join(tmp, 'locked')
    await fs.mkdir(path.join(locked, 'private'), { recursive: true })
    await fs.writeFile(path.join(locked, 'ok.png'), await solid(8, 8, [1, 2, 3]).png().toBuffer())
    await fs.writeFile(path.join(locked, 'secret.png'), await solid(8, 8, [1, 2, 4]).png().toBuffer())
    await fs.chmod(path.join(locked, 'secret.png'), 0)
    await fs.chmod(path.join(locked, 'private'), 0)
    const result = await importFolder(locked, path.join(tmp, 'o3'), options)
    expect(result.imported).toBe(1)
    expect(result.skipped.map((s) => [s.file, s.reason.split(':')[0]])).toEqual([
      ['private', 'unreadable'],
      ['secret.png', 'unreadable']
    ])
  })

  it.skipIf(!ORL)('imports the 400 ORL faces', async () => {
    const out = path.join(tmp, 'orl')
    const result = await importFolder(ORL!, out, { ...options, channels: 1 })
    expect(result.imported).toBe(400)
    expect(result.duplicates).toBe(0)
    expect(result.skipped).toEqual([{ file: 'README.md', reason: 'not an image' }])
    const dataset = await openDataset(out)
    expect(dataset.count).toBe(400)
    expect(dataset.images.length).toBe(400 * S * S)
    expect(dataset.files[0]).toMatchObject({ file: 'README.md', status: 'skipped' })
    expect(dataset.files[1]).toMatchObject({ file: 'orl_s01_01.png', status: 'imported', index: 0 })
  })
})
