/** Small vector helpers over plain `number[]` codes, shared by the latent tools. */

/** Throws unless every code has the same length; returns that length. */
export function commonLength(codes: readonly (readonly number[])[], what: string): number {
  if (codes.length === 0) throw new Error(`${what}: no codes given`)
  const d = codes[0].length
  const wrong = codes.find((c) => c.length !== d)
  if (wrong) throw new Error(`${what}: codes have different lengths (${d} and ${wrong.length})`)
  return d
}

/** Component-wise mean of a non-empty group of codes. */
export function meanCode(codes: readonly (readonly number[])[], what = 'mean'): number[] {
  const d = commonLength(codes, what)
  const mean = new Array<number>(d).fill(0)
  for (const code of codes) for (let j = 0; j < d; j++) mean[j] += code[j]
  return mean.map((v) => v / codes.length)
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0
  for (let j = 0; j < a.length; j++) s += a[j] * b[j]
  return s
}

export function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a))
}
