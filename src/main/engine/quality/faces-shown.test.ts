/**
 * The "is it faces?" rule on real face crops and on patterns: a wrong answer either prints a face
 * figure for stripes or withholds it from a face set.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { faceSet } from '../../../../test/support/datasets'
import { folderCrops, stripePatterns } from '../../../../test/support/face-check-images'
import { createFaceFinder } from '../faces'
import { facesSampleSize, facesShown } from './faces-shown'

const finder = createFaceFinder({ workers: 1 })
afterAll(() => finder.close())

describe('facesShown', () => {
  it('finds no face in striped patterns', async () => {
    const shown = await facesShown(await stripePatterns(), { finder })
    expect(shown).toMatchObject({ checked: facesSampleSize, applies: false })
    expect(shown.withFace).toBeLessThanOrEqual(2)
  }, 120_000)

  for (const set of ['olivetti_faces_64', 'orl_faces'] as const) {
    it(`finds faces in most ${set} crops`, async (context) => {
      const folder = faceSet(set)
      if (!folder) return context.skip()
      const shown = await facesShown(await folderCrops(folder, 64), { finder })
      expect(shown.applies).toBe(true)
      expect(shown.withFace).toBeGreaterThanOrEqual(16)
    }, 120_000)
  }
})
