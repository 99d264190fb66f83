/**
 * Brings an older `project.json` up to the current schema, one version at a time, so each
 * migration only has to know its two neighbouring shapes. Migrations work on the raw parsed JSON;
 * the result is validated by the current schema afterwards.
 */
import { ProjectError } from './project-error'
import { currentSchemaVersion } from './project-schema'

type RawDocument = Record<string, unknown>

/** What a migration may need to fill a field the older format did not have. */
export interface MigrationContext {
  /** Folder name without `.vaeproj`, for files that had no name. */
  defaultName: string
  /** ISO time of the migration, for files that had no timestamps. */
  now: string
}

export type Migration = (doc: RawDocument, context: MigrationContext) => RawDocument

function objectOrEmpty(value: unknown): RawDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawDocument) : {}
}

/** `migrations[n]` turns a schema-n document into a schema-(n + 1) one. */
export const migrations: Record<number, Migration> = {
  /**
   * Schema 0, the format before versioning, kept the latent size (`latent`) and β (`beta`) at the
   * top level and had neither `betaChanges` nor an app version.
   */
  0: (doc, context) => {
    const { latent, beta, ...rest } = doc
    const createdAt = typeof rest.createdAt === 'string' ? rest.createdAt : context.now
    return {
      ...rest,
      schemaVersion: 1,
      name: rest.name ?? context.defaultName,
      createdAt,
      updatedAt: rest.updatedAt ?? createdAt,
      appVersion: rest.appVersion ?? 'unknown',
      dataset: rest.dataset ?? null,
      model: { ...objectOrEmpty(rest.model), ...(latent === undefined ? {} : { latentDim: latent }) },
      train: { ...objectOrEmpty(rest.train), ...(beta === undefined ? {} : { beta }) },
      betaChanges: rest.betaChanges ?? []
    }
  },
  /** Schema 1 had no face finding: its datasets were imported as whole files. */
  1: (doc) => {
    const dataset = doc.dataset === null || doc.dataset === undefined ? doc.dataset : objectOrEmpty(doc.dataset)
    const options = dataset ? objectOrEmpty(dataset.options) : null
    return {
      ...doc,
      schemaVersion: 2,
      dataset:
        dataset && options
          ? { ...dataset, options: { ...options, faces: { find: false, framing: 'tight', minFaceSize: 0, which: 'all' } } }
          : dataset
    }
  },
  /**
   * Schema 2 said how long to train in epochs only (20 unless set). Schema 3 says it in steps,
   * minutes or epochs; an older project keeps its epochs, so it trains as before.
   */
  2: (doc) => {
    if (typeof doc.train !== 'object' || doc.train === null || Array.isArray(doc.train)) return { ...doc, schemaVersion: 3 }
    const { epochs, ...train } = doc.train as RawDocument
    return { ...doc, schemaVersion: 3, train: { ...train, length: { unit: 'epochs', amount: epochs ?? legacyDefaultEpochs } } }
  }
}

/** The run length every project had before it could be chosen in other units. */
const legacyDefaultEpochs = 20

/** The schema version a parsed file declares; a file without one predates versioning (0). */
export function schemaVersionOf(doc: RawDocument): number {
  const version = doc.schemaVersion
  if (version === undefined) return 0
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new ProjectError('damaged', `project.json is damaged: schemaVersion ${JSON.stringify(version)} is not a version number`)
  }
  return version
}

/**
 * Returns the document in the current schema's shape (still unvalidated) and the version it was
 * read as. A version newer than this build understands is refused rather than guessed at.
 */
export function migrateToCurrent(doc: RawDocument, context: MigrationContext): { doc: RawDocument; from: number } {
  const from = schemaVersionOf(doc)
  if (from > currentSchemaVersion) {
    throw new ProjectError(
      'newer-schema',
      `newer-schema: this project was saved by a newer VAE Studio (project schema ${from}; this version reads up to ${currentSchemaVersion}). Update VAE Studio to open it.`
    )
  }
  let current = doc
  for (let version = from; version < currentSchemaVersion; version++) {
    const migrate = migrations[version]
    if (!migrate) throw new ProjectError('damaged', `project.json is damaged: no migration from schema ${version}`)
    current = migrate(current, context)
  }
  return { doc: current, from }
}
