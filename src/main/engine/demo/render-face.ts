/**
 * Paints one demo face, back to front: background, hair mass, neck and shirt, ears, face, fringe,
 * brows, nose, eyes, mouth, glasses. Each factor drives exactly one visual property, so the eye
 * band changes only with `eyesOpen`/`glasses` and the mouth only with `smile`.
 */
import { hsl, mix, scale, skinColor, type Rgb } from './color'
import { above, arc, box, circle, ellipse, intersection, ring, segment, union, type Shape } from './sdf'
import { FaceCanvas, type Bounds } from './canvas'
import { faceTransform, geometry } from './face-layout'
import type { DemoFactors } from './factors'

const white: Rgb = [246, 246, 244]
const iris: Rgb = [72, 52, 40]
const pupil: Rgb = [12, 12, 14]
const lid = mix(pupil, white, 0.1)
const lips: Rgb = [122, 36, 40]
const frame: Rgb = [24, 24, 30]
const shirt: Rgb = [62, 72, 96]

interface Layer {
  shape: Shape
  bounds: Bounds
}

const { face, ear, neck, torso, hair, fringe, eye, brow, nose, mouth, glasses } = geometry

// Everything but the hair's length and the mouth's curve is the same on every face, in local
// units: built once.
const hairMass = ellipse(0, hair.cy, hair.rx, hair.ry)
const hairBounds: Bounds = [-hair.rx, hair.cy - hair.ry, hair.rx, hair.cy + hair.ry]
const neckLayer: Layer = {
  shape: box(-neck.halfWidth, neck.top, neck.halfWidth, neck.bottom),
  bounds: [-neck.halfWidth, neck.top, neck.halfWidth, neck.bottom]
}
const torsoLayer: Layer = {
  shape: ellipse(0, torso.cy, torso.rx, torso.ry),
  bounds: [-torso.rx, torso.cy - torso.ry, torso.rx, torso.cy + torso.ry]
}
const earLayers: Layer[] = [-ear.x, ear.x].map((x) => ({
  shape: circle(x, ear.y, ear.r),
  bounds: [x - ear.r, ear.y - ear.r, x + ear.r, ear.y + ear.r]
}))
const faceLayer: Layer = {
  shape: ellipse(0, face.cy, face.rx, face.ry),
  bounds: [-face.rx, face.cy - face.ry, face.rx, face.cy + face.ry]
}
const fringeLayer: Layer = { shape: intersection(hairMass, above(fringe.top, fringe.curve)), bounds: hairBounds }
const browReach = Math.abs(brow.arch) / 2 + brow.width
const browLayers: Layer[] = [-brow.x, brow.x].map((x) => ({
  shape: arc(x, brow.y, brow.halfWidth, brow.arch, brow.width),
  bounds: [x - brow.halfWidth - brow.width, brow.y - browReach, x + brow.halfWidth + brow.width, brow.y + browReach]
}))
const noseLayer: Layer = {
  shape: ellipse(0, nose.y, nose.rx, nose.ry),
  bounds: [-nose.rx, nose.y - nose.ry, nose.rx, nose.y + nose.ry]
}
const eyeRim = 0.45
const eyeParts = [-eye.x, eye.x].map((x) => {
  const bounds: Bounds = [x - eye.rx - eyeRim, eye.y - eye.ry - eyeRim, x + eye.rx + eyeRim, eye.y + eye.ry + eyeRim]
  return {
    rim: { shape: ellipse(x, eye.y, eye.rx + eyeRim, eye.ry + eyeRim), bounds },
    white: { shape: ellipse(x, eye.y, eye.rx, eye.ry), bounds },
    iris: { shape: circle(x, eye.y, eye.iris), bounds },
    pupil: { shape: circle(x, eye.y, eye.pupil), bounds },
    lid: { shape: arc(x, eye.y, eye.rx, eye.lidSag, eye.lidWidth), bounds }
  }
})
const glassesLayer: Layer = ((): Layer => {
  const inner = eye.x - glasses.ring
  const outer = eye.x + glasses.ring
  const barY = eye.y - glasses.lift
  const w = glasses.width
  return {
    shape: union(
      ring(-eye.x, eye.y, glasses.ring, w),
      ring(eye.x, eye.y, glasses.ring, w),
      segment(-inner, barY, inner, barY, w),
      segment(-outer, barY, -glasses.armX, glasses.armY, w),
      segment(outer, barY, glasses.armX, glasses.armY, w)
    ),
    bounds: [-glasses.armX - w, eye.y - glasses.ring - w, glasses.armX + w, eye.y + glasses.ring + w]
  }
})()

/** RGB, size×size×3, row-major. */
export function renderDemoFace(f: DemoFactors, size = 64): Uint8Array {
  const out = new Uint8Array(size * size * 3)
  renderDemoFaceInto(f, size, out, 0)
  return out
}

/** Renders into `out` at byte `offset`, so batches avoid a copy per face. Overwrites every byte of the face. */
export function renderDemoFaceInto(f: DemoFactors, size: number, out: Uint8Array, offset: number): void {
  if (!Number.isInteger(size) || size < 8) {
    throw new RangeError(`demo face size must be an integer ≥ 8, got ${size}`)
  }
  if (offset < 0 || offset + size * size * 3 > out.length) {
    throw new RangeError(`a ${size}×${size} face does not fit in ${out.length} bytes at offset ${offset}`)
  }
  const t = faceTransform(f, size)
  const c = new FaceCanvas(out, offset, size, t.originX, t.originY, t.pxPerUnit)
  const paint = (layer: Layer, color: Rgb, opacity?: number): void => c.paint(layer.shape, layer.bounds, color, opacity)
  const skin = skinColor(f.skinTone)
  const hairColor = hsl(f.hairHue, 0.55, 0.32)

  c.fill(hsl(f.backgroundHue, 0.45, 0.78))
  paint(hairLayer(f.hairLength), scale(hairColor, 0.8))
  paint(neckLayer, scale(skin, 0.85))
  paint(torsoLayer, shirt)
  for (const layer of earLayers) paint(layer, scale(skin, 0.92))
  paint(faceLayer, skin)
  paint(fringeLayer, hairColor)
  for (const layer of browLayers) paint(layer, scale(hairColor, 0.6))
  paint(noseLayer, scale(skin, 0.78), 0.6)
  for (const part of eyeParts) {
    if (f.eyesOpen) {
      paint(part.rim, pupil, 0.8)
      paint(part.white, white)
      paint(part.iris, iris)
      paint(part.pupil, pupil)
    } else {
      paint(part.lid, lid)
    }
  }
  paint(mouthLayer(f.smile), lips)
  if (f.glasses) paint(glassesLayer, frame)
}

/** The hair mass cut off at a line that falls with length; below the ellipse's widest line it falls straight. */
function hairLayer(length: number): Layer {
  const bottom = hair.shortBottom + (hair.longBottom - hair.shortBottom) * length
  const round = 2
  const mass = bottom - 2 * round > hair.cy ? union(hairMass, box(-hair.rx, hair.cy, hair.rx, bottom, round)) : hairMass
  return {
    shape: intersection(mass, above(bottom, 0)),
    bounds: [hairBounds[0], hairBounds[1], hairBounds[2], bottom]
  }
}

function mouthLayer(smile: number): Layer {
  const sag = smile * mouth.maxSag
  const reach = Math.abs(sag) / 2 + mouth.width
  return {
    shape: arc(0, mouth.y, mouth.halfWidth, sag, mouth.width),
    bounds: [-mouth.halfWidth - mouth.width, mouth.y - reach, mouth.halfWidth + mouth.width, mouth.y + reach]
  }
}
