/**
 * Index math for a virtualised grid of equal square cells: only the rows in (or near) the
 * viewport are rendered, so 10,000 thumbnails cost as much as the hundred on screen.
 */
export interface GridLayout {
  columns: number
  rows: number
  /** Height of the whole (mostly empty) scroll area in pixels. */
  totalHeight: number
}

export interface GridWindow {
  /** First and one-past-last item index to render. */
  from: number
  to: number
  /** Pixel offset of the first rendered row from the top of the scroll area. */
  offsetY: number
}

export function gridLayout(total: number, viewportWidth: number, cell: number, gap: number): GridLayout {
  const columns = Math.max(1, Math.floor((viewportWidth + gap) / (cell + gap)))
  const rows = Math.ceil(total / columns)
  return { columns, rows, totalHeight: rows > 0 ? rows * (cell + gap) - gap : 0 }
}

export function gridWindow(
  layout: GridLayout,
  total: number,
  scrollTop: number,
  viewportHeight: number,
  cell: number,
  gap: number,
  overscanRows = 2
): GridWindow {
  const pitch = cell + gap
  const firstRow = Math.max(0, Math.floor(scrollTop / pitch) - overscanRows)
  const lastRow = Math.min(layout.rows, Math.ceil((scrollTop + viewportHeight) / pitch) + overscanRows)
  const from = Math.min(total, firstRow * layout.columns)
  const to = Math.min(total, Math.max(from, lastRow * layout.columns))
  return { from, to, offsetY: firstRow * pitch }
}

/** Pages (of `pageSize` items) that cover items [from, to). */
export function pagesFor(from: number, to: number, pageSize: number): number[] {
  if (to <= from) return []
  const pages: number[] = []
  for (let p = Math.floor(from / pageSize); p <= Math.floor((to - 1) / pageSize); p++) pages.push(p)
  return pages
}
