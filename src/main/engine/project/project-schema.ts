/**
 * The shape of `project.json`. Bump `currentSchemaVersion` and add an entry to `migrations.ts`
 * whenever a saved field changes meaning or place, so older projects keep opening.
 */
import { z } from 'zod'
import { datasetOptionsSchema, modelConfigSchema, trainConfigSchema } from '../../../shared/config'
import { latentRecipeSchema } from '../latent/latent-recipe'

export const currentSchemaVersion = 3

const isoTime = z.iso.datetime({ offset: true })

const datasetInfoSchema = z.object({
  /** The folder the images were imported from, or 'demo' for the built-in generator. */
  source: z.string().min(1),
  options: datasetOptionsSchema,
  count: z.number().int().min(0),
  importedAt: isoTime
})

/** A live β change by the user, kept so the charts can mark where it happened. */
const betaChangeSchema = z.object({
  step: z.number().int().min(0),
  beta: z.number().min(0)
})

/** A named latent direction (see latent/attribute.ts): kept with its source images so it can be re-learned. */
export const latentAttributeSchema = z.object({
  name: z.string().min(1).max(100),
  vector: z.array(z.number()).min(2).max(256),
  withIndices: z.array(z.number().int().min(0)),
  withoutIndices: z.array(z.number().int().min(0)),
  createdAt: isoTime
})

export const projectFileSchema = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  name: z.string().min(1).max(200),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Version of the VAE Studio that last wrote the file, to make bug reports answerable. */
  appVersion: z.string().min(1),
  dataset: datasetInfoSchema.nullable(),
  model: modelConfigSchema,
  train: trainConfigSchema,
  betaChanges: z.array(betaChangeSchema),
  /** Saved latent-arithmetic recipes and attribute vectors (added within schema 1: absent = none). */
  recipes: z.array(latentRecipeSchema).default([]),
  attributes: z.array(latentAttributeSchema).default([])
})
export type ProjectFile = z.infer<typeof projectFileSchema>

/** One line per problem, with the field's path, for the "project.json is damaged" message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ')
}
