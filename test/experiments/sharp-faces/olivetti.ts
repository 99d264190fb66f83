/**
 * The Olivetti faces as every sharp-faces script trains on them: imported once (grey 64 px, whole
 * files, face finding off) into out/ and opened from there afterwards.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'
import { defaultFaceImport } from '../../../src/shared/config'
import { importFolder } from '../../../src/main/engine/dataset/import-folder'
import { openDataset, type OpenedDataset } from '../../../src/main/engine/dataset/open-dataset'

export const outDir = path.join(__dirname, 'out')

export async function olivetti(): Promise<OpenedDataset> {
  const dir = path.join(outDir, 'olivetti-64-grey')
  if (!existsSync(path.join(dir, 'dataset'))) {
    const datasets = process.env.VAE_STUDIO_DATASETS ?? '/work/shared/datasets'
    await importFolder(path.join(datasets, 'olivetti_faces_64'), dir, {
      size: 64,
      fit: 'crop',
      channels: 1,
      maxPixels: 100_000_000,
      faces: { ...defaultFaceImport, find: false }
    })
  }
  return openDataset(dir)
}
