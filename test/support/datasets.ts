/**
 * Where the real face sets are: `VAE_STUDIO_DATASETS`, else `../shared/datasets` beside the
 * clone. A fresh clone has neither, so tests that need them skip and print one line saying what
 * is missing and how to provide it; CI has them and runs those tests.
 */
import { existsSync } from 'node:fs'
import * as path from 'node:path'

const projectRoot = path.resolve(__dirname, '..', '..')

export type FaceSet = 'olivetti_faces_64' | 'orl_faces' | 'frey_faces' | 'photos_faceapi_examples'

/** The folder holding the face sets, or null when there is none. */
export function datasetsRoot(): string | null {
  const candidates = [process.env.VAE_STUDIO_DATASETS, path.join(projectRoot, '..', 'shared', 'datasets')]
  return candidates.find((dir): dir is string => !!dir && existsSync(dir)) ?? null
}

/** The folder of one face set, or null (after printing why) when it is not on this machine. */
export function faceSet(name: FaceSet): string | null {
  const root = datasetsRoot()
  const folder = root ? path.join(root, name) : null
  if (folder && existsSync(folder)) return folder
  console.log(
    `[skipped] needs the ${name} face set: set VAE_STUDIO_DATASETS to a folder holding ${name}/ ` +
      `(or place it at ../shared/datasets/${name} beside the clone)`
  )
  return null
}
