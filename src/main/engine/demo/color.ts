/** Colour helpers for the demo faces; colours are RGB triples in 0–255 floats. */
export type Rgb = readonly [number, number, number]

/** Light to dark; a skin tone in [0, 1] is interpolated linearly along these stops. */
const skinStops: readonly Rgb[] = [
  [255, 224, 196],
  [238, 194, 150],
  [205, 145, 96],
  [150, 96, 58],
  [96, 62, 40]
]

export function skinColor(tone: number): Rgb {
  const t = Math.min(Math.max(tone, 0), 1) * (skinStops.length - 1)
  const i = Math.min(Math.floor(t), skinStops.length - 2)
  return mix(skinStops[i], skinStops[i + 1], t - i)
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

export function scale(c: Rgb, k: number): Rgb {
  return [c[0] * k, c[1] * k, c[2] * k]
}

/** h in degrees, s and l in [0, 1]. */
export function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l)
  const f = (n: number): number => {
    const k = (n + h / 30) % 12
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))
  }
  return [f(0), f(8), f(4)]
}
