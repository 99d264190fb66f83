import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { ProjectError } from './project-error'
import { appVersion, createProject, ensureExportsDir, isProject, openProject, saveProject } from './project-file'
import { projectPaths } from './project-paths'
import { currentSchemaVersion } from './project-schema'
import { useTempDirs } from '../../../../test/support/project/temp-dir'
import { defaultFaceImport, defaultImportOptions } from '../../../shared/config'

const tempDir = useTempDirs()

async function rejection(promise: Promise<unknown>): Promise<ProjectError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ProjectError)
  return err as ProjectError
}

describe('createProject / openProject', () => {
  it('creates the layout and reads back what it wrote', async () => {
    const dir = path.join(await tempDir(), 'Faces.vaeproj')
    const created = await createProject(dir, { model: { latentDim: 16 }, train: { beta: 4 } })
    expect(created).toMatchObject({ schemaVersion: currentSchemaVersion, name: 'Faces', dataset: null, betaChanges: [], appVersion })
    expect(created.model).toEqual({ ...defaultModelConfig, latentDim: 16 })
    expect(created.train).toEqual({ ...defaultTrainConfig, beta: 4 })
    const paths = projectPaths(dir)
    expect((await fs.stat(paths.datasetDir)).isDirectory()).toBe(true)
    expect((await fs.stat(paths.checkpointsDir)).isDirectory()).toBe(true)
    await expect(fs.stat(paths.exportsDir)).rejects.toThrow()
    expect(await isProject(dir)).toBe(true)
    expect(await openProject(dir)).toEqual(created)
  })

  it('gives a new project the calibrated Gaussian at β 16, and a chosen loss its own β', async () => {
    const root = await tempDir()
    const plain = await createProject(path.join(root, 'a.vaeproj'))
    expect([plain.model.recon, plain.model.decoder, plain.train.beta]).toEqual(['gaussian', 'upsample-conv', 16])
    const bce = await createProject(path.join(root, 'b.vaeproj'), { model: { recon: 'bce' } })
    expect([bce.model.recon, bce.train.beta]).toEqual(['bce', 1])
  })

  it('uses a given name and accepts an empty existing folder', async () => {
    const dir = await tempDir()
    await fs.writeFile(path.join(dir, '.DS_Store'), '')
    expect((await createProject(dir, { name: 'My faces' })).name).toBe('My faces')
  })

  it('refuses a non-empty folder that is not a project, and an existing project', async () => {
    const dir = await tempDir()
    await fs.writeFile(path.join(dir, 'photo.jpg'), 'x')
    expect((await rejection(createProject(dir))).code).toBe('not-a-project')
    expect(await isProject(dir)).toBe(false)

    const project = path.join(dir, 'P.vaeproj')
    await createProject(project)
    const err = await rejection(createProject(project))
    expect(err.code).toBe('exists')
    expect(err.toStudioError().code).toBe('invalid-request')
  })

  it('reports a missing folder and a folder without project.json', async () => {
    const dir = await tempDir()
    expect((await rejection(openProject(path.join(dir, 'nope')))).code).toBe('missing')
    expect((await rejection(openProject(dir))).code).toBe('not-a-project')
  })

  it('reports a truncated project.json as damaged', async () => {
    const dir = await tempDir()
    await createProject(dir)
    const file = projectPaths(dir).projectJson
    const text = await fs.readFile(file, 'utf8')
    await fs.writeFile(file, text.slice(0, text.length / 2))
    const err = await rejection(openProject(dir))
    expect(err.code).toBe('damaged')
    expect(err.message).toMatch(/^project\.json is damaged: /)
    expect(err.toStudioError().code).toBe('bad-data')
  })

  it('reports a well-formed project.json with invalid fields as damaged, naming the field', async () => {
    const dir = await tempDir()
    const project = await createProject(dir)
    await fs.writeFile(projectPaths(dir).projectJson, JSON.stringify({ ...project, model: { latentDim: 9999 } }))
    const err = await rejection(openProject(dir))
    expect(err.code).toBe('damaged')
    expect(err.message).toContain('model.latentDim')
  })

  it('recreates sub-folders a crash during creation left out', async () => {
    const dir = await tempDir()
    await createProject(dir)
    await fs.rm(projectPaths(dir).checkpointsDir, { recursive: true })
    await openProject(dir)
    expect((await fs.stat(projectPaths(dir).checkpointsDir)).isDirectory()).toBe(true)
  })
})

describe('saveProject', () => {
  it('round-trips a changed project and stamps the save time', async () => {
    const dir = await tempDir()
    const created = await createProject(dir)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const saved = await saveProject(dir, {
      ...created,
      dataset: {
        source: 'demo',
        options: { ...defaultImportOptions, channels: 3, faces: { ...defaultFaceImport, find: false } },
        count: 500,
        importedAt: created.createdAt
      },
      betaChanges: [{ step: 120, beta: 2.5 }]
    })
    expect(Date.parse(saved.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt))
    expect(await openProject(dir)).toEqual(saved)
  })

  it('writes atomically: no temp files remain, and an invalid project leaves the old file untouched', async () => {
    const dir = await tempDir()
    const created = await createProject(dir)
    const before = await fs.readFile(projectPaths(dir).projectJson, 'utf8')
    await expect(saveProject(dir, { ...created, name: '' })).rejects.toThrow(/invalid project\.json.*name/)
    expect(await fs.readFile(projectPaths(dir).projectJson, 'utf8')).toBe(before)
    await saveProject(dir, { ...created, name: 'Renamed' })
    expect((await fs.readdir(dir)).sort()).toEqual(['checkpoints', 'dataset', 'project.json'])
  })
})

describe('ensureExportsDir', () => {
  it('creates exports/ on demand', async () => {
    const dir = await tempDir()
    await createProject(dir)
    const exportsDir = await ensureExportsDir(dir)
    expect(exportsDir).toBe(projectPaths(dir).exportsDir)
    expect((await fs.stat(exportsDir)).isDirectory()).toBe(true)
  })
})
