/**
 * Loss history as columns aligned on the training step, the shape uPlot draws without copying.
 * Training rows come from progress events, validation rows from epoch events (null elsewhere,
 * drawn with gaps spanned). The arrays are plain, not reactive: with thousands of rows a proxy
 * per element would cost more than the chart; `version` is what views watch.
 */
export const seriesKeys = ['loss', 'recon', 'kl', 'valLoss', 'valRecon', 'valKl'] as const
export type SeriesKey = (typeof seriesKeys)[number]

export class LossSeries {
  version = $state(0)
  readonly steps: number[] = []
  readonly columns = Object.fromEntries(seriesKeys.map((k) => [k, [] as Array<number | null>])) as Record<SeriesKey, Array<number | null>>

  get length(): number {
    return this.steps.length
  }

  get lastStep(): number | null {
    return this.steps.length ? this.steps[this.steps.length - 1] : null
  }

  clear(): void {
    this.steps.length = 0
    for (const key of seriesKeys) this.columns[key].length = 0
    this.version++
  }

  addTrain(step: number, loss: number, recon: number, kl: number): void {
    const row = this.rowFor(step)
    this.columns.loss[row] = loss
    this.columns.recon[row] = recon
    this.columns.kl[row] = kl
    this.version++
  }

  addVal(step: number, loss: number, recon: number, kl: number): void {
    const row = this.rowFor(step)
    this.columns.valLoss[row] = loss
    this.columns.valRecon[row] = recon
    this.columns.valKl[row] = kl
    this.version++
  }

  /** Drops rows from `step` on: a run resumed from an older checkpoint rewrites that stretch. */
  truncateFrom(step: number): void {
    const row = this.lowerBound(step)
    if (row === this.steps.length) return
    this.steps.length = row
    for (const key of seriesKeys) this.columns[key].length = row
    this.version++
  }

  /** Number of non-null values in a column (what a chart actually shows). */
  count(key: SeriesKey): number {
    return this.columns[key].reduce<number>((n, v) => (v === null ? n : n + 1), 0)
  }

  private rowFor(step: number): number {
    const row = this.lowerBound(step)
    if (this.steps[row] === step) return row
    this.steps.splice(row, 0, step)
    for (const key of seriesKeys) this.columns[key].splice(row, 0, null)
    return row
  }

  /** First row whose step is >= `step` (rows are kept sorted; appends hit the fast path). */
  private lowerBound(step: number): number {
    const n = this.steps.length
    if (n === 0 || this.steps[n - 1] < step) return n
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.steps[mid] < step) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
