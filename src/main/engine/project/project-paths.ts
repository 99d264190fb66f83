/** Where each part of a `Name.vaeproj/` folder lives; the one place that spells the layout. */
import * as path from 'node:path'

export interface ProjectPaths {
  root: string
  projectJson: string
  datasetDir: string
  checkpointsDir: string
  /** Pointer to the checkpoint a resumed run should load. */
  latestCheckpoint: string
  historyFile: string
  exportsDir: string
  /** Sample-quality measurements (quality.json) and the embeddings of the real faces they use. */
  qualityFile: string
  qualityCacheFile: string
}

export const projectExtension = '.vaeproj'

export function projectPaths(dir: string): ProjectPaths {
  const root = path.resolve(dir)
  const checkpointsDir = path.join(root, 'checkpoints')
  return {
    root,
    projectJson: path.join(root, 'project.json'),
    datasetDir: path.join(root, 'dataset'),
    checkpointsDir,
    latestCheckpoint: path.join(checkpointsDir, 'latest.json'),
    historyFile: path.join(root, 'history.jsonl'),
    exportsDir: path.join(root, 'exports'),
    qualityFile: path.join(root, 'quality.json'),
    qualityCacheFile: path.join(root, 'quality-embeddings.json')
  }
}

/** `Faces.vaeproj` → `Faces`: the name a new project gets when the user gives none. */
export function defaultProjectName(dir: string): string {
  const base = path.basename(path.resolve(dir))
  const name = base.endsWith(projectExtension) ? base.slice(0, -projectExtension.length) : base
  return name || base
}
