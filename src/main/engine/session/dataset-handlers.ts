/** Filling the project's dataset (a folder of images, or the demo faces) and browsing it. */
import * as path from 'node:path'
import { defaultFaceImport, type DatasetOptions, type ImportOptions } from '../../../shared/config'
import type { EngineMethodsOf, Handlers, ImportResult } from '../../../shared/contract'
import type { ImportProgress } from '../../../shared/events'
import { StudioError } from '../../../shared/errors'
import { createDatasetWriter } from '../dataset/dataset-writer'
import { excludeRows } from '../dataset/exclude-rows'
import { dropAllUndo, dropUndo, keepForUndo, latestUndo } from '../dataset/exclusion-undo'
import { openDataset } from '../dataset/open-dataset'
import { faceDetail } from '../dataset/face-detail'
import { checkImportCancelled } from '../dataset/import-cancelled'
import { importFolder } from '../dataset/import-folder'
import { iterateDemoFaces } from '../demo/generate'
import { datasetRowToRawImage } from '../image/raw-images'
import { listCheckpoints } from '../project/checkpoint-list'
import { projectPaths } from '../project/project-paths'
import type { EngineSession } from './engine-session'
import type { Release } from './project-writer'

/** Detections by file content, kept with the project so that importing the same photos again runs no net. */
const faceCacheName = 'faces-cache.json'

export function datasetHandlers(session: EngineSession): Handlers<EngineMethodsOf<'dataset'>> {
  return {
    datasetImport: (req) =>
      replaceDataset(session, req.folder, req.options, async (outDir, signal, options, report) => {
        const result = await importFolder(req.folder, outDir, options, {
          onProgress: report,
          signal,
          faceCacheFile: path.join(session.requireProject().dir, faceCacheName)
        })
        await dropAllUndo(session.requireProject().dir)
        return result
      }),
    datasetDemo: (req) => writeDemoDataset(session, req),
    async datasetCancel() {
      const running = session.importing
      running?.abort()
      return { cancelled: running !== null }
    },
    async datasetThumbnails(req) {
      const data = await session.requireDataset()
      const end = Math.min(data.count, req.from + req.count)
      return Array.from({ length: Math.max(0, end - req.from) }, (_, i) =>
        datasetRowToRawImage(data.images, req.from + i, data.size, data.channels)
      )
    },
    async datasetSkipped() {
      const data = await session.requireDataset()
      return data.files
        .filter((f) => f.status === 'skipped')
        .map((f) => ({ file: f.file, reason: f.reason ?? 'not imported', ...(f.face ? { face: f.face.n + 1 } : {}) }))
    },
    async datasetScores() {
      const data = await session.requireDataset()
      const scores = new Array<number | null>(data.count).fill(null)
      for (const f of data.files) if (f.status === 'imported' && f.index !== undefined && f.face) scores[f.index] = f.face.score
      return scores
    },
    datasetFace: async (req) => faceDetail(await session.requireDataset(), req.index),
    async datasetExclude(req) {
      const data = await session.requireDataset()
      const dataset = session.requireProject().file.dataset!
      const projectDir = session.requireProject().dir
      return replaceDataset(session, dataset.source, dataset.options, async (outDir) => {
        const snapshot = await keepForUndo(projectDir, outDir)
        return excludeRows(data, outDir, req.indices, req.wholePhotos).catch(async (err: unknown) => {
          await dropUndo(snapshot)
          throw err
        })
      })
    },
    async datasetUndoExclude() {
      const project = session.requireProject()
      const dataset = project.file.dataset
      const snapshot = await latestUndo(project.dir)
      if (!dataset || !snapshot)
        throw new StudioError('not-found', 'nothing was left out since the last import: there is nothing to bring back')
      const before = await openDataset(snapshot)
      const result = await replaceDataset(session, dataset.source, dataset.options, (outDir) => excludeRows(before, outDir, [], false))
      await dropUndo(snapshot)
      return result
    }
  }
}

/** The built-in demo faces as the project's dataset (also what training starts on without one). */
export function writeDemoDataset(
  session: EngineSession,
  req: { count: number; seed: number; size?: 32 | 64 | 128 }
): Promise<ImportResult> {
  const options: DatasetOptions = {
    size: req.size ?? 64,
    fit: 'crop',
    channels: 3,
    maxPixels: 100_000_000,
    faces: { ...defaultFaceImport, find: false }
  }
  return replaceDataset(session, 'demo', options, async (outDir, signal, _options, report) => {
    const writer = await createDatasetWriter(outDir, { size: options.size, channels: 3, fit: 'crop', source: 'demo' })
    const progress = (done: number): void => report({ done, total: req.count, imported: writer.count, skipped: 0 })
    // At once, so every window knows images are on their way (at first start, before the page has any).
    progress(0)
    let done = 0
    try {
      for (const face of iterateDemoFaces(req.count, req.seed, options.size)) {
        checkImportCancelled(signal)
        await writer.add(face.image, { file: `face_${String(done).padStart(5, '0')}.png` })
        done++
        if (done % 200 === 0 || done === req.count) progress(done)
      }
    } catch (err) {
      await writer.abort()
      throw err
    }
    const result = await writer.finish()
    await dropAllUndo(session.requireProject().dir)
    return result
  })
}

/**
 * @param write fills the dataset, telling its progress through `report`; a folder import's result
 *   says how it settled the options (`result.options`: the colour 'auto' became, face finding off
 *   for a folder of crops), and the project keeps those. An import that reported progress ends with
 *   one more report marked `ended`, however it ends, so every window knows it is over.
 */
async function replaceDataset(
  session: EngineSession,
  source: string,
  requested: ImportOptions,
  write: (outDir: string, signal: AbortSignal, options: ImportOptions, report: (p: ImportProgress) => void) => Promise<ImportResult>
): Promise<ImportResult> {
  session.assertIdle('import images')
  if (session.importing) throw new StudioError('busy', 'an import is already running')
  const project = session.requireProject()
  const checkpoints = await listCheckpoints(project.dir)
  const current = project.file.dataset?.options
  // Once a model is trained, colour left to the import means the colour it was trained on.
  const options =
    checkpoints.length > 0 && current && requested.channels === 'auto' ? { ...requested, channels: current.channels } : requested
  if (checkpoints.length > 0 && current && (current.size !== options.size || current.channels !== options.channels)) {
    throw new StudioError(
      'invalid-request',
      `this project's model was trained on ${current.size} px ${current.channels === 1 ? 'grayscale' : 'colour'} images; ` +
        'import at that size and colour, or create a new project'
    )
  }
  const cancel = new AbortController()
  session.importing = cancel
  let release: Release | null = null
  let last = null as ImportProgress | null
  try {
    release = await session.writers.hold(project.dir, 'importing images')
    const result = await write(projectPaths(project.dir).datasetDir, cancel.signal, options, (p) => {
      last = p
      session.emit('dataset:progress', p)
    })
    const settled: DatasetOptions = result.options ?? { ...options, channels: options.channels === 'auto' ? 3 : options.channels }
    const dataset = { source, options: settled, count: result.imported, importedAt: new Date().toISOString() }
    const model = { ...project.file.model, imageSize: settled.size, channels: settled.channels }
    // The import belongs to the project it began in, even if another one was opened meanwhile.
    await session.saveFile(project, { ...project.file, dataset, model })
    if (session.project === project) {
      session.dataset = null
      session.latentCache = null
      await session.announce()
    }
    return result
  } finally {
    session.importing = null
    if (last) session.emit('dataset:progress', { ...last, ended: true })
    await release?.()
  }
}
