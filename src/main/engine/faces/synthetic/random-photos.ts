/**
 * Many different photos from a few grey face crops, for benchmarks and detector comparisons:
 * random sizes, scenes, and 0–4 faces each at a random place, width and angle (never
 * overlapping). Deterministic for a seed.
 */
import sharp from 'sharp'
import { Rng } from '../../random/rng'
import type { Point } from '../face-types'
import { pasteFace, placePoint, type GreyFace, type Placement } from './paste-face'
import { makeScene, type SceneKind } from './scenes'

export interface RandomPhotoOptions {
  count: number
  seed?: number
  /** Longer side range, in pixels. */
  minSide?: number
  maxSide?: number
  /** Face width range, as a fraction of the shorter side. */
  minFace?: number
  maxFace?: number
  minFaces?: number
  maxFaces?: number
  maxAngle?: number
  quality?: number
}

export interface RandomPhoto {
  bytes: Buffer
  width: number
  height: number
  faces: { face: number; placement: Placement; eyes?: { left: Point; right: Point } }[]
}

const scenes: SceneKind[] = ['room', 'room', 'noise', 'gradient']

/**
 * `faceEyes[i]`, when given, are the eye centres of `faces[i]` in its own pixels; the photos'
 * truth then holds where they landed.
 */
export async function randomPhotos(
  faces: GreyFace[],
  options: RandomPhotoOptions,
  faceEyes?: { left: Point; right: Point }[]
): Promise<RandomPhoto[]> {
  const {
    count,
    seed = 1,
    minSide = 250,
    maxSide = 1000,
    minFace = 0.15,
    maxFace = 0.45,
    minFaces = 0,
    maxFaces = 3,
    maxAngle = 25,
    quality = 88
  } = options
  const rng = new Rng(seed)
  const photos: RandomPhoto[] = []
  for (let n = 0; n < count; n++) {
    const long = minSide + rng.int(maxSide - minSide + 1)
    const aspect = 0.6 + rng.next() * 0.4
    const landscape = rng.next() < 0.65
    const width = landscape ? long : Math.round(long * aspect)
    const height = landscape ? Math.round(long * aspect) : long
    const scene = makeScene(scenes[rng.int(scenes.length)], width, height, seed * 100_003 + n)
    const short = Math.min(width, height)
    const wanted = minFaces + rng.int(maxFaces - minFaces + 1)
    const taken: { x: number; y: number; r: number }[] = []
    const placed: RandomPhoto['faces'] = []
    for (let attempt = 0; placed.length < wanted && attempt < 30; attempt++) {
      const index = rng.int(faces.length)
      const face = faces[index]
      const faceWidth = short * (minFace + rng.next() * (maxFace - minFace)) * (wanted > 2 ? 0.7 : 1)
      const scale = faceWidth / face.width
      const r = (Math.hypot(face.width, face.height) * scale) / 2
      if (2 * r > short) continue
      const x = r + rng.next() * (width - 2 * r)
      const y = r + rng.next() * (height - 2 * r)
      if (taken.some((t) => Math.hypot(t.x - x, t.y - y) < t.r + r)) continue
      taken.push({ x, y, r })
      const placement: Placement = {
        centre: [x, y],
        scale,
        angleDeg: (rng.next() * 2 - 1) * maxAngle,
        tint: [1.05 + rng.next() * 0.1, 0.85 + rng.next() * 0.1, 0.7 + rng.next() * 0.15]
      }
      pasteFace(scene, face, placement)
      const eyes = faceEyes?.[index]
      placed.push({
        face: index,
        placement,
        eyes: eyes && { left: placePoint(face, placement, eyes.left), right: placePoint(face, placement, eyes.right) }
      })
    }
    const bytes = await sharp(scene.pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality })
      .toBuffer()
    photos.push({ bytes, width, height, faces: placed })
  }
  return photos
}
