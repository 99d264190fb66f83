/**
 * Folders of face crops people download, with the real nets: Olivetti (64×64, faces fill the
 * frame) and Frey (20×28) import whole, every image kept; ORL (92×112, faces off-centre and
 * tilted) has its faces found and aligned, and still keeps every image. All three are grey and
 * become one channel. A slice of each set keeps the test to a minute; each skips, with one printed
 * line, where its set is not on the machine.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultImportOptions } from '../../../shared/config'
import { faceSet, type FaceSet } from '../../../../test/support/datasets'
import { tempDir } from '../../../../test/support/small-setup'
import { importFolder } from './import-folder'

const slice = 32
let root: string
beforeAll(async () => {
  root = await tempDir('crop-sets')
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

/** Every k-th image of the set, `slice` of them, copied into a folder of its own. */
async function sliceOf(source: string, name: FaceSet): Promise<string> {
  const files = (await fs.readdir(source)).filter((f) => f.endsWith('.png')).sort()
  const dir = path.join(root, name)
  await fs.mkdir(dir)
  const step = Math.floor(files.length / slice)
  for (let i = 0; i < slice; i++) await fs.copyFile(path.join(source, files[i * step]), path.join(dir, files[i * step]))
  return dir
}

const wholeSets: Array<[FaceSet, string]> = [
  ['olivetti_faces_64', 'These look like face crops already (all 64×64, faces fill the frame): imported as they are'],
  ['frey_faces', 'These look like face crops already (all 20×28, faces fill the frame): imported as they are']
]

describe('downloaded face sets', () => {
  for (const [name, notice] of wholeSets) {
    const source = faceSet(name)
    it.skipIf(!source)(`imports ${name} whole, every image, in grayscale`, { timeout: 300_000 }, async () => {
      const result = await importFolder(await sliceOf(source!, name), path.join(root, `${name}-out`), defaultImportOptions)
      expect(result).toMatchObject({ imported: slice, skipped: [], options: { channels: 1, faces: { find: false } } })
      expect(result.faces).toBeUndefined()
      expect(result.notices).toEqual([notice, 'Every image is grey: imported in grayscale (1 channel); choose Colour to keep 3 channels'])
    })
  }

  const orl = faceSet('orl_faces')
  it.skipIf(!orl)('finds and aligns the faces of orl_faces, and keeps every image', { timeout: 300_000 }, async () => {
    const result = await importFolder(await sliceOf(orl!, 'orl_faces'), path.join(root, 'orl-out'), defaultImportOptions)
    expect(result.options).toMatchObject({ channels: 1, faces: { find: true } })
    expect(result.faces).toMatchObject({ photos: slice, photosWithoutFace: 0 })
    expect(result.faces!.faces + (result.faces!.keptWhole ?? 0)).toBe(slice)
    expect(result.imported).toBe(slice)
    expect(result.notices?.some((n) => n.startsWith('These look like face crops'))).toBe(false)
  })
})
