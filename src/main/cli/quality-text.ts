/** How the CLI prints a sample-quality measurement: every figure with the floor beside it. */
import { fewFacesWarning, gridText, kidText, sharpnessText } from '../../shared/quality-reading'
import type { QualityPoint } from '../../shared/results'

export function formatQuality(point: QualityPoint, indent = ''): string {
  const warning = fewFacesWarning(point)
  return [
    `face Fréchet distance ${point.frechet.toFixed(3)} (floor ${point.floor.frechet.toFixed(3)}: two halves of the real faces)`,
    `kernel distance (KID) ${kidText(point.kid)} ± ${kidText(point.kidStd)} thousandths (floor ${kidText(point.floor.kid)}: two halves of the real faces)`,
    `identity similarity   ${point.identity.toFixed(3)} (held-out faces and their reconstructions; another photo of the same person ≈ 0.97, someone else ≈ 0.87)`,
    ...(point.sharpness === undefined ? [] : [`sharpness             ${sharpnessText(point.sharpness)}`]),
    ...(point.grid === undefined ? [] : [`grid                  ${gridText(point.grid)}`]),
    `measured at step ${point.step}: ${point.samples} samples (temperature ${point.temperature}) against ${point.reference} real faces, ${point.heldOut} held out, in ${point.seconds.toFixed(1)} s`,
    ...(warning ? [`note: ${warning}`] : [])
  ]
    .map((line) => indent + line)
    .join('\n')
}
