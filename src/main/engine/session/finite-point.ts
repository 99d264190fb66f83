/** The check every sample-quality measurement passes before it is saved or shown. */
import { StudioError } from '../../../shared/errors'
import type { QualityPoint } from '../../../shared/results'

/**
 * A figure that is not a finite number (weights that diverged, an embedding gone wrong) is no
 * measurement: it is refused with the reason and never written, so it cannot spoil the history.
 */
export function refuseNonFinite(point: QualityPoint): void {
  const figures: Array<[string, number]> = [
    ['face Fréchet distance', point.frechet],
    ['KID', point.kid],
    ['KID spread', point.kidStd],
    ['identity similarity', point.identity],
    ['floor of the Fréchet distance', point.floor.frechet],
    ['floor of KID', point.floor.kid],
    ...(point.sharpness === undefined ? [] : [['sharpness', point.sharpness] as [string, number]]),
    ...(point.grid === undefined ? [] : [['grid', point.grid] as [string, number]])
  ]
  const bad = figures.filter(([, value]) => !Number.isFinite(value))
  if (bad.length === 0) return
  throw new StudioError(
    'bad-data',
    `the measurement came out as ${bad.map(([name, value]) => `${name} ${value}`).join(', ')}: the model's samples or the faces' ` +
      'embeddings hold numbers that are not finite (weights that diverged?); nothing was saved'
  )
}
