/** An image's upright size from its first bytes. */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readImageShape } from './image-shape'

let dir: string
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'image-shape-'))
})
afterAll(() => fs.rm(dir, { recursive: true, force: true }))

async function file(name: string, bytes: Buffer | string): Promise<Buffer> {
  await fs.writeFile(path.join(dir, name), bytes)
  return Buffer.from(path.join(dir, name))
}

const grey = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 90, g: 90, b: 90 } } })

describe('readImageShape', () => {
  it('reads PNG and JPEG headers, a JPEG turned by EXIF upright', async () => {
    expect(await readImageShape(await file('a.png', await grey(92, 112).png().toBuffer()))).toEqual({ width: 92, height: 112 })
    expect(await readImageShape(await file('b.jpg', await grey(64, 48).jpeg().toBuffer()))).toEqual({ width: 64, height: 48 })
    const turned = await grey(64, 48).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    expect(await readImageShape(await file('c.jpg', turned))).toEqual({ width: 48, height: 64 })
  })

  it('reads other formats through sharp', async () => {
    expect(await readImageShape(await file('d.webp', await grey(30, 20).webp().toBuffer()))).toEqual({ width: 30, height: 20 })
    expect(await readImageShape(await file('e.gif', await grey(20, 28).gif().toBuffer()))).toEqual({ width: 20, height: 28 })
  })

  it('says nothing of files that do not tell', async () => {
    expect(await readImageShape(await file('notes.txt', 'not an image at all, only words'))).toBeNull()
    expect(await readImageShape(await file('cut.jpg', (await grey(64, 48).jpeg().toBuffer()).subarray(0, 30)))).toBeNull()
    expect(await readImageShape(Buffer.from(path.join(dir, 'missing.png')))).toBeNull()
  })
})
