/**
 * How well reconstructions keep who is in the photo: the cosine similarity between each real
 * face's embedding and its reconstruction's. Face-recognition embeddings are built so the same
 * person lands close, so this reads "same identity" rather than "same pixels".
 */
import type { Rows } from './linalg'

export interface IdentitySimilarity {
  /** Mean cosine similarity over the pairs (1 = the same direction). */
  mean: number
  min: number
  /** One value per pair, in input order. */
  perFace: number[]
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`embeddings differ in length (${a.length} and ${b.length})`)
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

export function identitySimilarity(real: Rows, reconstructed: Rows): IdentitySimilarity {
  if (real.length !== reconstructed.length || real.length === 0) {
    throw new Error(`need one reconstruction per real face (got ${real.length} real, ${reconstructed.length} reconstructed)`)
  }
  const perFace = real.map((r, i) => cosineSimilarity(r, reconstructed[i]))
  return { mean: perFace.reduce((s, v) => s + v, 0) / perFace.length, min: Math.min(...perFace), perFace }
}
