import { describe, expect, it } from 'vitest'
import { faceSet } from '../../../../test/support/datasets'
import { benchFaceImport } from './face-bench'

const orl = faceSet('orl_faces')

describe.skipIf(!orl)('benchFaceImport', () => {
  it('times generated photos through the finder and names its figures as `npm run bench` prints them', async () => {
    const figures = await benchFaceImport({ facesFolder: orl!, photos: 6, workers: [1] })
    expect(figures.faceImportImgPerSec).toBeGreaterThan(0)
    expect(figures.faceImportImgPerSecOneWorker).toBe(figures.faceImportImgPerSec)
    expect(figures.photos).toBe(6)
    expect(figures.facesPerPhoto).toBeGreaterThan(0.5)
    expect(figures.cpuMsPerPhoto).toBeGreaterThan(0)
    expect(figures.peakRssMb).toBeGreaterThan(0)
  }, 180_000)
})
