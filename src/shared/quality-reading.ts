/**
 * How a sample-quality measurement reads to a person, written once for the studio's quality card
 * and the CLI so both say the same thing: KID in thousandths (its floor can come out just below
 * zero, which means "no difference"), what the sharpness and grid figures mean, and a warning
 * when the figures rest on too few real faces to be read against the floor.
 */
import type { QualityPoint } from './results'

/**
 * Real faces the floor (the distance between two halves of them) needs to be small and steady:
 * on Olivetti, 400 faces give a floor of 0.021, while 32 faces give 0.21, ten times higher and
 * different for every split, so a blurry model could look "near the floor".
 */
export const reliableReferenceFaces = 200

/** Above this grid figure seams or checkerboards show in samples (real faces: 1). */
export const visibleGrid = 1.5

/** KID in thousandths, the floor's small negative values (an unbiased estimate of 0) read as ≈ 0. */
export function kidText(kid: number): string {
  const thousandths = kid * 1000
  return Math.abs(thousandths) < 0.005 || (thousandths < 0 && thousandths > -0.5) ? '≈ 0' : thousandths.toFixed(2)
}

/** Why the figures should not be read against the floor, or null when there are faces enough. */
export function fewFacesWarning(point: Pick<QualityPoint, 'reference' | 'floor'>): string | null {
  if (point.reference >= reliableReferenceFaces) return null
  return (
    `these figures rest on ${point.reference} real faces: with fewer than ${reliableReferenceFaces} the floor itself ` +
    `(${point.floor.frechet.toFixed(3)}) is noisy, so compare measurements of this project with each other rather than with the floor ` +
    `(import at least ${reliableReferenceFaces} faces for figures to trust)`
  )
}

/** The sharpness figure in words: 1 = as sharp as the real faces. */
export function sharpnessText(sharpness: number): string {
  const verdict =
    sharpness >= 0.9
      ? 'as sharp as the real faces'
      : sharpness >= 0.7
        ? 'a little softer than the real faces'
        : 'blurrier than the real faces'
  return `${sharpness.toFixed(2)} × the real faces' fine detail (${verdict})`
}

/** The grid figure in words: 1 = no more seam power than the real faces. */
export function gridText(grid: number): string {
  const verdict = grid <= visibleGrid ? 'no visible seams' : grid <= 3 ? 'faint seams or checkerboard' : 'seams or checkerboard show'
  return `${grid.toFixed(2)} × the real faces' power at seam frequencies (${verdict})`
}
