import { describe, expect, it } from 'vitest'
import type { ImportResult } from '../../../shared/contract'
import { importSummary } from './import-summary'

const crops = 'These look like face crops already (all 64×64, faces fill the frame): imported as they are'
const grey = 'Every image is grey: imported in grayscale (1 channel); choose Colour to keep 3 channels'

describe('the import summary', () => {
  it('says a folder of crops imported whole in the engine’s words, each sentence once', () => {
    const result: ImportResult = {
      imported: 400,
      skipped: [{ file: 'README.md', reason: 'not an image' }],
      duplicates: 0,
      notices: [crops, grey, crops]
    }
    expect(importSummary(result)).toEqual({
      imported: '400 images',
      source: '',
      counts: ['1 file skipped'],
      notices: [`${crops}.`, `${grey}.`]
    })
  })

  it('counts faces found in photos', () => {
    const result: ImportResult = {
      imported: 32,
      skipped: [],
      duplicates: 2,
      faces: { photos: 31, faces: 32, photosWithoutFace: 1, facesSkipped: 3, mostlyNoFaces: false }
    }
    expect(importSummary(result)).toEqual({
      imported: '32 faces',
      source: 'found in 31 photos',
      counts: ['1 without a face', '3 left out (too small or not the largest)', '2 copies of other files left out'],
      notices: []
    })
  })

  it('counts portraits kept whole as images, apart from the faces found', () => {
    const keptWhole = '7 small portraits with no face found were imported whole, not aligned (a.png, b.png, c.png and 4 more)'
    const result: ImportResult = {
      imported: 346,
      skipped: [],
      duplicates: 0,
      faces: { photos: 400, faces: 339, photosWithoutFace: 54, facesSkipped: 0, keptWhole: 7, mostlyNoFaces: false },
      notices: [keptWhole]
    }
    expect(importSummary(result)).toMatchObject({
      imported: '346 images',
      source: 'from 400 photos: 339 faces found and aligned, 7 kept whole',
      counts: ['54 without a face'],
      notices: [`${keptWhole}.`]
    })
  })
})
