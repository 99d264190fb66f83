import { cssColor } from './css-color'

/** Axis colours of the studio's uPlot charts, resolved for the current theme within `el`. */
export function chartAxis(el: Element): {
  stroke: string
  grid: { stroke: string; width: number }
  ticks: { stroke: string; width: number }
} {
  const grid = cssColor(el, '--border')
  return { stroke: cssColor(el, '--muted'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
}

/** Tick spacings for a step axis: whole steps only, so no "2.5" under a step count. */
export const stepIncrs = [1, 2, 5].flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6].map((e) => m * e)).sort((a, b) => a - b)

/**
 * uPlot's legend shows "--" while the pointer is off the chart; these hooks show each line's
 * latest value instead (a validation line's last epoch), and the hovered ones while the pointer is on it.
 */
export const latestInLegend = {
  setCursor: [showLatest],
  setData: [showLatest]
}

interface LegendTarget {
  cursor: { idx?: number | null }
  data: ArrayLike<unknown>[]
  setLegend(opts: { idx?: number; idxs?: (number | null)[] }, fireHook?: boolean): void
}

function showLatest(u: LegendTarget): void {
  if (u.cursor.idx !== null && u.cursor.idx !== undefined) return
  if (u.data[0].length === 0) return
  u.setLegend({ idxs: u.data.map(lastValue) }, false)
}

function lastValue(column: ArrayLike<unknown>): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i]
    if (typeof v === 'number' && Number.isFinite(v)) return i
  }
  return null
}
