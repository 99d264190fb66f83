/** How the CLI prints a sample-quality measurement: every figure with the floor beside it. */
import type { QualityPoint } from '../../shared/results'

export function formatQuality(point: QualityPoint, indent = ''): string {
  const kid = (v: number): string => (Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(4))
  return [
    `face Fréchet distance ${point.frechet.toFixed(3)} (floor ${point.floor.frechet.toFixed(3)}: two halves of the real faces)`,
    `kernel distance (KID) ${kid(point.kid)} ± ${kid(point.kidStd)} (floor ${kid(point.floor.kid)}: two halves of the real faces)`,
    `identity similarity   ${point.identity.toFixed(3)} (held-out faces and their reconstructions; another photo of the same person ≈ 0.97, someone else ≈ 0.87)`,
    `measured at step ${point.step}: ${point.samples} samples (temperature ${point.temperature}) against ${point.reference} real faces, ${point.heldOut} held out, in ${point.seconds.toFixed(1)} s`
  ]
    .map((line) => indent + line)
    .join('\n')
}
