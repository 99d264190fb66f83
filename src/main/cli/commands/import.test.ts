/** The import's plain-text summary: counts that agree, how the images were stored, every notice. */
import { describe, expect, it } from 'vitest'
import { defaultImportOptions } from '../../../shared/config'
import { importSummary } from './import'

const options = { ...defaultImportOptions, channels: 1 as const }

describe('importSummary', () => {
  it('says how the images were stored, that a copy was skipped, and every notice', () => {
    const lines = importSummary(
      {
        imported: 3,
        skipped: [{ file: 'notes.txt', reason: 'not an image' }],
        duplicates: 1,
        faces: { photos: 2, faces: 2, photosWithoutFace: 0, facesSkipped: 0, keptWhole: 1, mostlyNoFaces: false },
        options,
        notices: ['1 small portrait with no face found was imported whole, not aligned (c.png)']
      },
      'out.vaeproj'
    )
    expect(lines).toEqual([
      'imported 3 image(s) into out.vaeproj (grayscale, 64 px)',
      '1 duplicate file skipped: same content as a file imported once',
      'faces: 2 found in 2 photo(s); 0 photo(s) without a face; 1 small portrait(s) without a face found kept whole; 0 face(s) left out by the options',
      'note: 1 small portrait with no face found was imported whole, not aligned (c.png)',
      'skipped 1 file(s):',
      '  notes.txt: not an image'
    ])
  })

  it('keeps to the counts when there is nothing more to say', () => {
    expect(importSummary({ imported: 400, skipped: [], duplicates: 0 }, 'orl.vaeproj')).toEqual(['imported 400 image(s) into orl.vaeproj'])
  })
})
