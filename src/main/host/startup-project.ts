/**
 * What the studio opens when it starts: a project given on the command line, a folder of images
 * (imported into a new project kept in the studio's data folder, never inside the user's photos),
 * or, with nothing given, the project the user had open last, else the built-in demo faces so a
 * first run has something to train on.
 */
import { existsSync, statSync } from 'node:fs'
import * as path from 'node:path'
import type { ProjectSummary, StudioApi } from '../../shared/contract'
import { defaultImportOptions } from '../../shared/config'
import { StudioError } from '../../shared/errors'
import { createClient } from '../../shared/transport/create-client'
import type { StudioHost } from './types'

export const demoFaceCount = 2000

export function openStartupProject(host: StudioHost, target: string | undefined, dataDir: string): Promise<ProjectSummary> {
  host.allowRoot(dataDir, 'Studio projects')
  // A project the user creates meanwhile (the window is up before this ends) waits for it, so the
  // demo faces cannot land in it.
  return host.sequence((invoke) => openIn(host, createClient({ invoke, subscribe: () => () => undefined }), target, dataDir))
}

async function openIn(host: StudioHost, studio: StudioApi, target: string | undefined, dataDir: string): Promise<ProjectSummary> {
  const projectsDir = path.join(dataDir, 'projects')
  if (target && existsSync(path.join(target, 'project.json'))) {
    host.allowRoot(target)
    return studio.projectOpen({ path: target })
  }
  if (target && !(existsSync(target) && statSync(target).isDirectory())) throw new Error(`not a folder or a project: ${target}`)
  const [last] = target ? [] : await studio.projectRecent()
  if (last) return studio.projectOpen({ path: last })
  const projectPath = path.join(projectsDir, target ? `${path.basename(path.resolve(target))}.vaeproj` : 'Demo faces.vaeproj')
  if (existsSync(path.join(projectPath, 'project.json'))) return studio.projectOpen({ path: projectPath })
  await studio.projectCreate({ path: projectPath })
  try {
    if (target) {
      host.allowRoot(target)
      await studio.datasetImport({ folder: path.resolve(target), options: defaultImportOptions })
    } else {
      await studio.datasetDemo({ count: demoFaceCount, seed: 1 })
    }
  } catch (err) {
    // The user stopped it (the Dataset view's Cancel): the project stays open, without images.
    if (!(err instanceof StudioError && err.code === 'cancelled')) throw err
  }
  return (await studio.projectCurrent())!
}
