import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultModelConfig, defaultTrainConfig } from '../../../shared/config'
import { runTarget, stepsToImages } from '../../../shared/run-length'
import { migrateToCurrent } from './migrations'
import { ProjectError } from './project-error'
import { openProject, saveProject } from './project-file'
import { projectPaths } from './project-paths'
import { currentSchemaVersion } from './project-schema'
import { useTempDirs } from '../../../../test/support/project/temp-dir'

const tempDir = useTempDirs()
const context = { defaultName: 'Old', now: '2024-05-01T10:00:00.000Z' }

async function writeProjectJson(value: unknown): Promise<string> {
  const dir = path.join(await tempDir(), 'Old.vaeproj')
  await fs.mkdir(dir)
  await fs.writeFile(projectPaths(dir).projectJson, JSON.stringify(value))
  return dir
}

describe('migrations', () => {
  it('moves schema 0 top-level latent and beta into model and train', () => {
    const { doc, from } = migrateToCurrent(
      { name: 'Faces', createdAt: '2023-01-02T03:04:05.000Z', latent: 8, beta: 3, model: { imageSize: 32 } },
      context
    )
    expect(from).toBe(0)
    expect(doc).toEqual({
      schemaVersion: 3,
      name: 'Faces',
      createdAt: '2023-01-02T03:04:05.000Z',
      updatedAt: '2023-01-02T03:04:05.000Z',
      appVersion: 'unknown',
      dataset: null,
      model: { imageSize: 32, latentDim: 8 },
      // It trained for the default 20 epochs then, and still does.
      train: { beta: 3, length: { unit: 'epochs', amount: 20 } },
      betaChanges: []
    })
  })

  it('opens a schema-0 project.json and saves it back in the current schema', async () => {
    const dir = await writeProjectJson({ latent: 12, beta: 0.5 })
    const project = await openProject(dir)
    expect(project).toMatchObject({ schemaVersion: currentSchemaVersion, name: 'Old', betaChanges: [], dataset: null })
    expect(project.updatedAt).toBe(project.createdAt)
    expect(project.model).toEqual({ ...defaultModelConfig, latentDim: 12 })
    expect(project.train).toEqual({ ...defaultTrainConfig, beta: 0.5, length: { unit: 'epochs', amount: 20 } })
    await saveProject(dir, project)
    const onDisk = JSON.parse(await fs.readFile(projectPaths(dir).projectJson, 'utf8'))
    expect(onDisk.schemaVersion).toBe(currentSchemaVersion)
    expect(onDisk).not.toHaveProperty('latent')
    expect(onDisk.model.latentDim).toBe(12)
  })

  it('marks a schema-1 dataset as imported without face finding, which did not exist then', () => {
    const options = { size: 64, fit: 'crop', channels: 1, maxPixels: 1e8 }
    const dataset = { source: '/photos', options, count: 400, importedAt: '2026-01-02T03:04:05.000Z' }
    const { doc, from } = migrateToCurrent({ schemaVersion: 1, name: 'Faces', dataset }, context)
    expect(from).toBe(1)
    expect(doc).toEqual({
      schemaVersion: 3,
      name: 'Faces',
      dataset: { ...dataset, options: { ...options, faces: { find: false, framing: 'tight', minFaceSize: 0, which: 'all' } } }
    })
    expect(migrateToCurrent({ schemaVersion: 1, name: 'Empty', dataset: null }, context).doc).toEqual({
      schemaVersion: 3,
      name: 'Empty',
      dataset: null
    })
  })

  it('turns a schema-2 run length in epochs into a length in epochs, and the default 20 where none was set', () => {
    const train = { epochs: 7, batchSize: 16, beta: 2 }
    expect(migrateToCurrent({ schemaVersion: 2, name: 'Faces', train }, context).doc).toEqual({
      schemaVersion: 3,
      name: 'Faces',
      train: { batchSize: 16, beta: 2, length: { unit: 'epochs', amount: 7 } }
    })
    expect(migrateToCurrent({ schemaVersion: 2, name: 'Faces', train: { beta: 2 } }, context).doc).toMatchObject({
      train: { beta: 2, length: { unit: 'epochs', amount: 20 } }
    })
  })

  it('opens a schema-2 project.json with epochs, which trains as long as before', async () => {
    const { length: _length, ...rest } = defaultTrainConfig
    const dir = await writeProjectJson({
      schemaVersion: 2,
      name: 'Old',
      createdAt: context.now,
      updatedAt: context.now,
      appVersion: '0.1.0',
      dataset: null,
      model: defaultModelConfig,
      train: { ...rest, epochs: 12, batchSize: 32 },
      betaChanges: []
    })
    const project = await openProject(dir)
    expect(project.train).toEqual({ ...defaultTrainConfig, batchSize: 32, length: { unit: 'epochs', amount: 12 } })
    const shape = { trainImages: 90, batchSize: 32 }
    // 12 epochs of 90 images in batches of 32 (32, 32, 26): the 36 steps the old trainer took.
    const target = runTarget(project.train.length, shape)
    expect(stepsToImages(0, target.unit === 'epochs' ? target.images : 0, shape)).toBe(36)
    await saveProject(dir, project)
    const onDisk = JSON.parse(await fs.readFile(projectPaths(dir).projectJson, 'utf8'))
    expect(onDisk).toMatchObject({ schemaVersion: currentSchemaVersion, train: { length: { unit: 'epochs', amount: 12 } } })
    expect(onDisk.train).not.toHaveProperty('epochs')
  })

  it('leaves a current-schema document as it is', () => {
    const doc = { schemaVersion: currentSchemaVersion, name: 'x' }
    expect(migrateToCurrent(doc, context)).toEqual({ doc, from: currentSchemaVersion })
  })

  it('refuses a project saved by a newer VAE Studio', async () => {
    const dir = await writeProjectJson({ schemaVersion: currentSchemaVersion + 1, name: 'Future' })
    const err = await openProject(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProjectError)
    expect((err as ProjectError).code).toBe('newer-schema')
    expect((err as ProjectError).message).toMatch(/^newer-schema: this project was saved by a newer VAE Studio/)
    expect((err as ProjectError).toStudioError().code).toBe('newer-schema')
  })

  it('calls a non-numeric schemaVersion damaged', () => {
    expect(() => migrateToCurrent({ schemaVersion: '1' }, context)).toThrow(/project\.json is damaged/)
  })
})
