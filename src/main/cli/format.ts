/** Small text formatters for terminal output. */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(rest).padStart(2, '0')}s`
  return `${rest}s`
}

export function progressBar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}

export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value)
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(digits)
}
