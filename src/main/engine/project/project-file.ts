/**
 * Creating, opening and saving a `Name.vaeproj/` folder's `project.json`. Opening migrates older
 * schemas in memory (the file is rewritten in the current schema on the next save) and refuses
 * newer ones, so an old build never silently drops fields it does not know.
 */
import { promises as fs, type Stats } from 'node:fs'
import * as path from 'node:path'
import type { z } from 'zod'
import packageJson from '../../../../package.json'
import { modelConfigSchema, trainConfigSchema } from '../../../shared/config'
import { suggestedBeta } from '../../../shared/model-choices'
import { fsyncDir, writeJsonAtomic } from '../fs/atomic-write'
import { migrateToCurrent } from './migrations'
import { ProjectError } from './project-error'
import { defaultProjectName, projectPaths, type ProjectPaths } from './project-paths'
import { currentSchemaVersion, describeIssues, projectFileSchema, type ProjectFile } from './project-schema'

export const appVersion: string = packageJson.version

export interface CreateProjectOptions {
  name?: string
  model?: z.input<typeof modelConfigSchema>
  train?: z.input<typeof trainConfigSchema>
}

/** Files an OS drops into any folder a user has looked at; they do not make a folder "in use". */
const ignorableEntries = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

async function statOrNull(target: string): Promise<Stats | null> {
  try {
    return await fs.stat(target)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Sub-folders other modules write into; recreated on open in case a crash cut creation short. */
async function ensureLayout(paths: ProjectPaths): Promise<void> {
  await fs.mkdir(paths.datasetDir, { recursive: true })
  await fs.mkdir(paths.checkpointsDir, { recursive: true })
}

function validated(doc: unknown, what: string): ProjectFile {
  const parsed = projectFileSchema.safeParse(doc)
  if (!parsed.success) throw new Error(`${what}: ${describeIssues(parsed.error)}`)
  return parsed.data
}

export async function isProject(dir: string): Promise<boolean> {
  const stat = await statOrNull(projectPaths(dir).projectJson)
  return stat?.isFile() ?? false
}

/**
 * Makes `dir` a new project. An existing folder is accepted only when it is empty, so a mistyped
 * path never mixes project files into someone's photos; an existing project must be opened instead.
 */
export async function createProject(dir: string, options: CreateProjectOptions = {}): Promise<ProjectFile> {
  const paths = projectPaths(dir)
  const stat = await statOrNull(paths.root)
  if (stat) {
    if (!stat.isDirectory()) throw new ProjectError('not-a-project', `${paths.root} is a file, not a folder`)
    if (await isProject(paths.root)) {
      throw new ProjectError('exists', `${paths.root} is already a VAE Studio project; open it instead`)
    }
    const entries = (await fs.readdir(paths.root)).filter((entry) => !ignorableEntries.has(entry))
    if (entries.length > 0) {
      throw new ProjectError('not-a-project', `${paths.root} is not empty and is not a VAE Studio project; choose an empty or new folder`)
    }
  } else {
    await fs.mkdir(paths.root, { recursive: true })
    await fsyncDir(path.dirname(paths.root))
  }
  const now = new Date().toISOString()
  const model = modelConfigSchema.parse(options.model ?? {})
  const project = validated(
    {
      schemaVersion: currentSchemaVersion,
      name: options.name ?? defaultProjectName(paths.root),
      createdAt: now,
      updatedAt: now,
      appVersion,
      dataset: null,
      model,
      // β goes with the loss unless the options name one (see `suggestedBeta`).
      train: trainConfigSchema.parse({ beta: suggestedBeta[model.recon], ...options.train }),
      betaChanges: []
    },
    'invalid project settings'
  )
  await writeJsonAtomic(paths.projectJson, project)
  await ensureLayout(paths)
  return project
}

export async function openProject(dir: string): Promise<ProjectFile> {
  const paths = projectPaths(dir)
  const stat = await statOrNull(paths.root)
  if (!stat) throw new ProjectError('missing', `No project at ${paths.root}: the folder does not exist`)
  if (!stat.isDirectory()) throw new ProjectError('not-a-project', `${paths.root} is a file, not a project folder`)
  let text: string
  try {
    text = await fs.readFile(paths.projectJson, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR') {
      throw new ProjectError('not-a-project', `${paths.root} is not a VAE Studio project (it has no project.json)`)
    }
    throw err
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new ProjectError('damaged', `project.json is damaged: ${(err as Error).message}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ProjectError('damaged', 'project.json is damaged: it does not hold a JSON object')
  }
  const { doc } = migrateToCurrent(raw as Record<string, unknown>, {
    defaultName: defaultProjectName(paths.root),
    now: new Date().toISOString()
  })
  const parsed = projectFileSchema.safeParse(doc)
  if (!parsed.success) throw new ProjectError('damaged', `project.json is damaged: ${describeIssues(parsed.error)}`)
  await ensureLayout(paths)
  return parsed.data
}

/** Writes `project` atomically, stamped with the save time and this build's version. */
export async function saveProject(dir: string, project: ProjectFile): Promise<ProjectFile> {
  const saved = validated(
    { ...project, schemaVersion: currentSchemaVersion, updatedAt: new Date().toISOString(), appVersion },
    'refusing to save an invalid project.json'
  )
  await writeJsonAtomic(projectPaths(dir).projectJson, saved)
  return saved
}

/** `exports/` is created only when the user first exports something. */
export async function ensureExportsDir(dir: string): Promise<string> {
  const { exportsDir } = projectPaths(dir)
  await fs.mkdir(exportsDir, { recursive: true })
  return exportsDir
}
