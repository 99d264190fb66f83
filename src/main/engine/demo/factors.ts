/**
 * The known generative factors of the built-in demo faces. Each is drawn on its own from the seeded
 * generator, so they are independent by construction: that is what lets tests check latent tools
 * against ground truth (an attribute vector learned from `glasses` must add glasses and nothing else).
 */
import type { Rng } from '../random/rng'

export interface DemoFactors {
  /** 0 = lightest … 1 = darkest, along a natural skin palette. */
  skinTone: number
  /** Hair hue in degrees, [0, 360). */
  hairHue: number
  /** 0 = short crop above the ears … 1 = hair down to the shoulders. */
  hairLength: number
  /** Horizontal offset of the head, in pixels of a 64-pixel image (scaled with the image). */
  faceX: number
  /** Vertical offset of the head, in pixels of a 64-pixel image (scaled with the image). */
  faceY: number
  /** Head scale, 1 = nominal. */
  faceSize: number
  /** Mouth curvature: −1 = frown, 0 = straight, +1 = smile. */
  smile: number
  eyesOpen: boolean
  glasses: boolean
  /** Background hue in degrees, [0, 360). */
  backgroundHue: number
}

export type DemoFactorName = keyof DemoFactors

/** Continuous factors are uniform on [min, max); booleans are 0/1 and drawn 50/50. */
export interface DemoFactorSpec {
  kind: 'continuous' | 'boolean'
  min: number
  max: number
  description: string
}

/** One table for sampling, labels files, docs and the CLI's `--help`. Order = column order. */
export const demoFactorInfo = {
  skinTone: { kind: 'continuous', min: 0, max: 1, description: 'skin colour, light (0) to dark (1)' },
  hairHue: { kind: 'continuous', min: 0, max: 360, description: 'hair hue in degrees (cyclic)' },
  hairLength: { kind: 'continuous', min: 0, max: 1, description: 'short crop (0) to shoulder length (1)' },
  faceX: { kind: 'continuous', min: -4, max: 4, description: 'head offset right, pixels at 64 px' },
  faceY: { kind: 'continuous', min: -4, max: 4, description: 'head offset down, pixels at 64 px' },
  faceSize: { kind: 'continuous', min: 0.85, max: 1.15, description: 'head scale' },
  smile: { kind: 'continuous', min: -1, max: 1, description: 'mouth curve, frown (-1) to smile (+1)' },
  eyesOpen: { kind: 'boolean', min: 0, max: 1, description: 'eyes open or closed, 50/50 (1/0 in labels.csv)' },
  glasses: { kind: 'boolean', min: 0, max: 1, description: 'round glasses or none, 50/50 (1/0 in labels.csv)' },
  backgroundHue: { kind: 'continuous', min: 0, max: 360, description: 'background hue in degrees (cyclic)' }
} as const satisfies Record<DemoFactorName, DemoFactorSpec>

export const demoFactorNames = Object.keys(demoFactorInfo) as DemoFactorName[]

/** Draws every factor from `rng`, in `demoFactorNames` order, one draw each. */
export function sampleDemoFactors(rng: Rng): DemoFactors {
  const values: Record<string, number | boolean> = {}
  for (const name of demoFactorNames) {
    const spec: DemoFactorSpec = demoFactorInfo[name]
    values[name] = spec.kind === 'boolean' ? rng.next() < 0.5 : spec.min + (spec.max - spec.min) * rng.next()
  }
  return values as unknown as DemoFactors
}

/** Plain-text table of the factors, for `vae-studio demo --help` and docs. */
export function describeDemoFactors(): string {
  const width = Math.max(...demoFactorNames.map((n) => n.length))
  return demoFactorNames
    .map((name) => {
      const spec: DemoFactorSpec = demoFactorInfo[name]
      const range = spec.kind === 'boolean' ? 'true|false' : `${spec.min}..${spec.max}`
      return `  ${name.padEnd(width)}  ${range.padEnd(10)}  ${spec.description}`
    })
    .join('\n')
}
