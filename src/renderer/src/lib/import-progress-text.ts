/** The counts line of a running import on the Dataset view, with thousands grouped as the rest of the studio shows counts. */
import type { ImportProgress } from '../../../shared/events'
import { formatCount as n, formatDuration } from './format'

export function importProgressText(p: ImportProgress): string {
  const faces = p.faces === undefined ? '' : ` photos · ${n(p.faces)} faces found`
  const left = p.etaSec === undefined ? '' : ` · ${formatDuration(p.etaSec)} left`
  return `${n(p.done)} / ${n(p.total)}${faces} · ${n(p.imported)} imported · ${n(p.skipped)} skipped${left}`
}
