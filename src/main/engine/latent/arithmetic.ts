/**
 * Latent arithmetic, "a − b + c" (the classic "man with glasses − man + woman"). Each term is a
 * group of codes reduced to its mean: averaging several examples cancels what they do not share,
 * so the difference carries the intended attribute rather than one image's quirks.
 */
import { commonLength, meanCode } from './vectors'

export interface ArithmeticGroups {
  a: readonly (readonly number[])[]
  b: readonly (readonly number[])[]
  c: readonly (readonly number[])[]
}

/** mean(a) − mean(b) + mean(c). Every group needs at least one code, all of one length. */
export function arithmetic({ a, b, c }: ArithmeticGroups): number[] {
  const groups = { a, b, c }
  for (const [name, codes] of Object.entries(groups)) {
    if (codes.length === 0) throw new Error(`latent arithmetic: group ${name} is empty; give it at least one image`)
  }
  commonLength([...a, ...b, ...c], 'latent arithmetic')
  const [ma, mb, mc] = [meanCode(a), meanCode(b), meanCode(c)]
  return ma.map((v, j) => v - mb[j] + mc[j])
}
