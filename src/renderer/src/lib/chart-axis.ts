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
