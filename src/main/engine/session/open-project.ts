/** A project folder open in the engine: where it is and what its `project.json` says. */
import type { ProjectFile } from '../project/project-schema'

export interface OpenProject {
  dir: string
  file: ProjectFile
}
