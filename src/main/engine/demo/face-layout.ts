/**
 * Where things sit on a demo face. The face is drawn in local units centred on the head, so
 * position and scale factors are a single transform and the image size is just another scale.
 * The feature regions are exported so tests and latent-tool checks can look at the exact pixels
 * a factor is allowed to change.
 */
import type { DemoFactors } from './factors'

/** Nominal image side the local units and position factors refer to. */
export const baseSize = 64

/** Pixels per local unit in a 64-pixel image at faceSize 1: fills the frame without cropping. */
const unitPx = 1.12

export const geometry = {
  face: { cy: 1, rx: 14, ry: 17 },
  ear: { x: 13.6, y: 1.5, r: 3.4 },
  neck: { halfWidth: 5.5, top: 10, bottom: 30 },
  torso: { cy: 37, rx: 24, ry: 13 },
  /** Hair mass: an ellipse cut off at a bottom line that falls with hairLength. */
  hair: { cy: -2, rx: 17.5, ry: 18.5, shortBottom: -2, longBottom: 26 },
  /** Fringe hairline: y = top + curve·x², lower at the temples. */
  fringe: { top: -11, curve: 0.035 },
  eye: { x: 5.5, y: -1, rx: 2.8, ry: 2.1, iris: 1.5, pupil: 0.7, lidSag: 0.9, lidWidth: 0.55 },
  brow: { x: 5.5, y: -5.2, halfWidth: 2.4, arch: -0.9, width: 0.55 },
  nose: { y: 4, rx: 1.3, ry: 1.6 },
  mouth: { y: 9.5, halfWidth: 5, maxSag: 3.5, width: 0.9 },
  /** The bridge and the arms' front ends sit `lift` above the eye line, as on a real frame. */
  glasses: { ring: 4.2, width: 0.55, lift: 0.6, armX: 13.8, armY: -0.2 }
} as const

export interface FaceTransform {
  /** Pixel coordinates (continuous) of the local origin. */
  originX: number
  originY: number
  pxPerUnit: number
}

export function faceTransform(f: DemoFactors, size: number): FaceTransform {
  const k = size / baseSize
  return {
    originX: (baseSize / 2 + f.faceX) * k,
    originY: (baseSize / 2 + f.faceY) * k,
    pxPerUnit: f.faceSize * unitPx * k
  }
}

/** Pixel box, x0/y0 inclusive, x1/y1 exclusive, clipped to the image. */
export interface PixelBox {
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface DemoFaceRegions {
  /** Everything `eyesOpen` and `glasses` may touch: both eyes, rings, bridge and arms. */
  eyes: PixelBox
  /** Everything `smile` may touch. */
  mouth: PixelBox
}

export function demoFaceRegions(f: DemoFactors, size: number): DemoFaceRegions {
  const t = faceTransform(f, size)
  const { eye, glasses, mouth } = geometry
  const eyeReach = Math.max(glasses.ring + glasses.width, eye.rx + eye.lidWidth)
  const mouthReach = mouth.maxSag / 2 + mouth.width
  return {
    eyes: toPixels(t, size, -glasses.armX - glasses.width, eye.y - eyeReach, glasses.armX + glasses.width, eye.y + eyeReach),
    mouth: toPixels(t, size, -mouth.halfWidth - mouth.width, mouth.y - mouthReach, mouth.halfWidth + mouth.width, mouth.y + mouthReach)
  }
}

/** Local box to pixels, widened by the one-pixel anti-aliasing ramp. */
function toPixels(t: FaceTransform, size: number, x0: number, y0: number, x1: number, y1: number): PixelBox {
  const k = t.pxPerUnit
  const clip = (v: number): number => Math.min(Math.max(v, 0), size)
  return {
    x0: clip(Math.floor(t.originX + x0 * k - 1)),
    y0: clip(Math.floor(t.originY + y0 * k - 1)),
    x1: clip(Math.ceil(t.originX + x1 * k + 1)),
    y1: clip(Math.ceil(t.originY + y1 * k + 1))
  }
}
