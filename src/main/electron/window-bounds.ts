/**
 * Where the window reopens. Saved bounds are only reused when they still overlap a screen:
 * after a monitor is unplugged they would put the window somewhere nobody can see it.
 */
export interface WindowBounds {
  x: number
  y: number
  width: number
  height: number
  maximized?: boolean
}

interface Rect {
  x: number
  y: number
  width: number
  height: number
}

const minVisible = 100

function isRect(value: unknown): value is WindowBounds {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(r[k])) && (r.width as number) > 0 && (r.height as number) > 0
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? Math.min(w, h) : 0
}

export function restoreBounds(saved: unknown, displays: Array<{ workArea: Rect }>): WindowBounds | undefined {
  if (!isRect(saved)) return undefined
  if (!displays.some((display) => overlap(saved, display.workArea) >= minVisible)) return undefined
  const { x, y, width, height, maximized } = saved
  return { x, y, width, height, maximized: maximized === true }
}
