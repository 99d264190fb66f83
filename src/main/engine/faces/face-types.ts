/**
 * What finding faces in a photo gives back. Plain data only (arrays, numbers, Uint8Array), so a
 * result crosses worker threads, the engine-process protocol and a JSON cache unchanged.
 */
import type { RawImage } from '../../../shared/images'

/** A point in photo coordinates: pixel (row i, column j) covers [j, j+1) × [i, i+1). */
export type Point = [x: number, y: number]

export interface FaceBox {
  x: number
  y: number
  width: number
  height: number
}

/** A 2×3 affine map [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = [number, number, number, number, number, number]

export const expressionNames = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const
export type ExpressionName = (typeof expressionNames)[number]
export type Expressions = Record<ExpressionName, number>

/**
 * What the nets said about one face, in the coordinates of the upright photo at its full size
 * (after EXIF orientation, before any reduced-size decode). This is what the cache keeps.
 */
export interface DetectedFace {
  box: FaceBox
  /** Detector confidence, 0–1. */
  score: number
  /** The 68 points of the iBUG scheme (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67). */
  landmarks: Point[]
  age: number
  gender: 'male' | 'female'
  genderProbability: number
  expressions: Expressions
  /** The recognition net's 128-d embedding; present when asked for (`descriptors: true`). */
  descriptor?: number[]
}

export interface AlignedFace extends DetectedFace {
  /** The aligned crop: size × size, 1 or 3 channels. */
  image: RawImage
  /** Photo → crop: where any photo point lands in `image`. */
  transform: Affine
  /** Eye centres (mean of each eye's six points) in photo coordinates; `left` is on the image's left. */
  eyes: { left: Point; right: Point }
}

/** A face the nets found but the options left out (too small, not the largest). */
export interface SkippedFace {
  box: FaceBox
  score: number
  reason: string
}

export interface PhotoFaces {
  /** The upright photo's full size (after EXIF orientation); 0 when it could not be decoded. */
  width: number
  height: number
  faces: AlignedFace[]
  skipped: SkippedFace[]
  /** Set when `faces` is empty: no face found, every face skipped, or the file is not a photo. */
  reason?: string
  /** True when the detections came from the cache and no net ran. */
  cached: boolean
}

/** The nets' output for one photo, as cached: enough to align again at any size or framing. */
export interface PhotoDetections {
  width: number
  height: number
  faces: DetectedFace[]
  /** Set when the photo could not be decoded (the reason the user reads). */
  unreadable?: string
}
