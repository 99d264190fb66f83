/** Human-readable figures for the status lines. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** Four significant digits, switching to exponent form for very small or large values. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  const abs = Math.abs(value)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2)
  return Number(value.toPrecision(4)).toString()
}

/**
 * A rate as people read one: three significant figures below 100 ("0.753", "4.28", "48.2"),
 * whole numbers above ("1234"); never an exponent.
 */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (Math.abs(value) >= 100) return Math.round(value).toString()
  if (value === 0) return '0'
  return Number(value.toPrecision(3)).toString()
}

/** A count with its thousands grouped ("12,400"), as every count in the studio is shown. */
export function formatCount(count: number): string {
  return count.toLocaleString('en')
}

const pluralRules = new Intl.PluralRules('en')

/** "1 frame", "2 frames", "0 frames": the count with the noun in the form English uses for it. */
export function countOf(count: number, one: string, other = `${one}s`): string {
  return `${formatCount(count)} ${pluralRules.select(count) === 'one' ? one : other}`
}
