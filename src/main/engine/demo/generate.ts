/**
 * Batches of demo faces. One generator stream draws each face's factors in turn, so the set is a
 * pure function of (count, seed, size) and face i is the same whether drawn in a batch or one by one.
 */
import { Rng } from '../random/rng'
import { sampleDemoFactors, type DemoFactors } from './factors'
import { renderDemoFaceInto } from './render-face'

export interface DemoFaces {
  /** count×size×size×3 RGB bytes, face after face, each row-major. */
  images: Uint8Array
  factors: DemoFactors[]
}

export function generateDemoFaces(count: number, seed: number, size = 64): DemoFaces {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`demo face count must be a whole number, got ${count}`)
  }
  const rng = new Rng(seed)
  const bytes = size * size * 3
  const images = new Uint8Array(count * bytes)
  const factors: DemoFactors[] = []
  for (let i = 0; i < count; i++) {
    const f = sampleDemoFactors(rng)
    renderDemoFaceInto(f, size, images, i * bytes)
    factors.push(f)
  }
  return { images, factors }
}

/** The same faces as `generateDemoFaces`, one at a time, for sets too large to hold in memory. */
export function* iterateDemoFaces(count: number, seed: number, size = 64): Generator<{ image: Uint8Array; factors: DemoFactors }> {
  const rng = new Rng(seed)
  for (let i = 0; i < count; i++) {
    const factors = sampleDemoFactors(rng)
    const image = new Uint8Array(size * size * 3)
    renderDemoFaceInto(factors, size, image, 0)
    yield { image, factors }
  }
}
