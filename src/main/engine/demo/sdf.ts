/**
 * Signed distances (negative inside, in face-local units) of the few shapes a cartoon face needs.
 * A shape fills a whole row of samples per call rather than answering one point: the per-pixel
 * math then runs inside each shape's own loop, where the engine can optimise it, instead of
 * through thousands of indirect calls per face.
 */

/** Writes to out[0..n) the distance at (x0 + i·dx, y). */
export type Shape = (x0: number, dx: number, y: number, n: number, out: Float64Array) => void

/**
 * Ellipse (Quílez's approximation: exact on the outline, which is where coverage is decided).
 * More than a sample step from the outline, the cheap bound (k0 − 1)·min(rx, ry), which never
 * overstates the distance, is enough: coverage there is 0 or 1 either way.
 */
export function ellipse(cx: number, cy: number, rx: number, ry: number): Shape {
  const irx = 1 / rx
  const iry = 1 / ry
  const minR = Math.min(rx, ry)
  return (x0, dx, y, n, out) => {
    const py = (y - cy) * iry
    const qy = py * iry
    for (let i = 0; i < n; i++) {
      const px = (x0 + i * dx - cx) * irx
      const k0 = Math.sqrt(px * px + py * py)
      const bound = (k0 - 1) * minR
      if (bound > dx || bound < -dx) {
        out[i] = bound
      } else {
        const qx = px * irx
        out[i] = (k0 * (k0 - 1)) / Math.sqrt(qx * qx + qy * qy)
      }
    }
  }
}

export function circle(cx: number, cy: number, r: number): Shape {
  return (x0, dx, y, n, out) => {
    const py = y - cy
    for (let i = 0; i < n; i++) {
      const px = x0 + i * dx - cx
      out[i] = Math.sqrt(px * px + py * py) - r
    }
  }
}

/** Stroke of half-width `w` along a circle of radius r. */
export function ring(cx: number, cy: number, r: number, w: number): Shape {
  return (x0, dx, y, n, out) => {
    const py = y - cy
    for (let i = 0; i < n; i++) {
      const px = x0 + i * dx - cx
      out[i] = Math.abs(Math.sqrt(px * px + py * py) - r) - w
    }
  }
}

/** Box from (left, top) to (right, bottom), its corners rounded by `round` (which it grows by). */
export function box(left: number, top: number, right: number, bottom: number, round = 0): Shape {
  const l = left + round
  const t = top + round
  const r = right - round
  const b = bottom - round
  return (x0, dx, y, n, out) => {
    const ey = Math.max(t - y, y - b)
    for (let i = 0; i < n; i++) {
      const x = x0 + i * dx
      const ex = Math.max(l - x, x - r)
      const outside = Math.sqrt(Math.max(ex, 0) ** 2 + Math.max(ey, 0) ** 2)
      out[i] = outside + Math.min(Math.max(ex, ey), 0) - round
    }
  }
}

/**
 * The region above the curve y = line + curve·x² (y grows downward): a hairline, or a straight
 * cut when curve is 0. The distance is first-order, exact on the curve where coverage is decided.
 */
export function above(line: number, curve: number): Shape {
  return (x0, dx, y, n, out) => {
    for (let i = 0; i < n; i++) {
      const x = x0 + i * dx
      const slope = 2 * curve * x
      out[i] = (y - line - curve * x * x) / Math.sqrt(1 + slope * slope)
    }
  }
}

/** Stroke of half-width `w` along the polyline through (xs[i], ys[i]), with round ends. */
export function polyline(xs: readonly number[], ys: readonly number[], w: number): Shape {
  const pieces = xs.length - 1
  // Per piece: start point, direction and 1/|direction|², so a sample costs one sqrt.
  const p = new Float64Array(5 * pieces)
  for (let i = 0; i < pieces; i++) {
    const ux = xs[i + 1] - xs[i]
    const uy = ys[i + 1] - ys[i]
    p.set([xs[i], ys[i], ux, uy, 1 / (ux * ux + uy * uy)], 5 * i)
  }
  return (x0, dx, y, n, out) => {
    for (let i = 0; i < n; i++) {
      const x = x0 + i * dx
      let best = Infinity
      for (let j = 0; j < p.length; j += 5) {
        const px = x - p[j]
        const py = y - p[j + 1]
        const t = Math.min(Math.max((px * p[j + 2] + py * p[j + 3]) * p[j + 4], 0), 1)
        const ex = px - p[j + 2] * t
        const ey = py - p[j + 3] * t
        best = Math.min(best, ex * ex + ey * ey)
      }
      out[i] = Math.sqrt(best) - w
    }
  }
}

export function segment(ax: number, ay: number, bx: number, by: number, w: number): Shape {
  return polyline([ax, bx], [ay, by], w)
}

/** Straight pieces an arc is drawn with: within 0.06 units of the true parabola for the mouth. */
const arcPieces = 8

/**
 * Stroke of half-width `w` along the parabola y = cy + sag·(1 − ((x − cx)/halfWidth)²) − sag/2
 * for |x − cx| ≤ halfWidth: the ends sit sag/2 above the centre line and the middle sag/2 below it,
 * so a positive sag is a smile (y grows downward). Drawn as a fine polyline, whose distance is
 * exact at any curvature.
 */
export function arc(cx: number, cy: number, halfWidth: number, sag: number, w: number): Shape {
  const xs: number[] = []
  const ys: number[] = []
  for (let i = 0; i <= arcPieces; i++) {
    const u = (2 * i) / arcPieces - 1
    xs.push(cx + u * halfWidth)
    ys.push(cy + sag * (1 - u * u) - sag / 2)
  }
  return polyline(xs, ys, w)
}

export function union(...shapes: Shape[]): Shape {
  return combine(shapes, true)
}

export function intersection(...shapes: Shape[]): Shape {
  return combine(shapes, false)
}

/** Minimum (union) or maximum (intersection), written out: a passed-in Math.min is not inlined. */
function combine(shapes: Shape[], isUnion: boolean): Shape {
  let scratch = new Float64Array(0)
  return (x0, dx, y, n, out) => {
    shapes[0](x0, dx, y, n, out)
    if (scratch.length < n) scratch = new Float64Array(n)
    for (let s = 1; s < shapes.length; s++) {
      shapes[s](x0, dx, y, n, scratch)
      for (let i = 0; i < n; i++) {
        const d = scratch[i]
        if (isUnion ? d < out[i] : d > out[i]) out[i] = d
      }
    }
  }
}
