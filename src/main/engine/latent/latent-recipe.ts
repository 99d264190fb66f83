/**
 * A saved "a − b + c" recipe. It stores dataset image indices, not codes: codes change every time
 * the model trains further, and re-encoding the same images keeps the recipe meaningful for any
 * checkpoint. Meant to live in project.json (e.g. a `recipes` array).
 */
import { z } from 'zod'

const imageIndices = z.array(z.number().int().min(0)).min(1).max(10_000)

export const latentRecipeSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  a: imageIndices,
  b: imageIndices,
  c: imageIndices,
  createdAt: z.iso.datetime({ offset: true })
})
export type LatentRecipe = z.infer<typeof latentRecipeSchema>

/** Indices in the recipe that do not exist in a dataset of `count` images (e.g. after a re-import). */
export function recipeOutOfRange(recipe: LatentRecipe, count: number): number[] {
  return [...new Set([...recipe.a, ...recipe.b, ...recipe.c])].filter((i) => i >= count).sort((x, y) => x - y)
}
