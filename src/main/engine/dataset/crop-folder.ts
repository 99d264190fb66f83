/**
 * Folders of faces that are already cropped (a downloaded face set, an earlier export) need no
 * face finding, and it hurts them: the detector, trained on faces with surroundings, misses many
 * crops that fill the frame (Olivetti 64×64: 63 of 400 lost), and cutting a tight aligned crop
 * out of a picture that is all face invents the missing border (half of each Olivetti crop).
 *
 * Before any net runs, the sizes of every image are read from their headers. When every image
 * has the same small size, a sample of them goes through face finding (its detections are cached,
 * so nothing is lost if the folder is then imported by faces) and the folder is imported whole
 * when the sample says aligning cannot help: faces too small to align, the detector finding too
 * few of them, faces already level and in one place (aligned), or crops that would be mostly
 * invented border. Otherwise (ORL: faces off-centre and tilted, found in nearly all) every face is
 * aligned and the small portraits where none is found are kept whole, so no image is lost.
 */
import { applyAffine, invertAffine } from '../faces/alignment'
import type { PhotoFaces } from '../faces'
import type { ImageShape } from './image-shape'

/** Longest side of an image counted as a small portrait (a face crop, not a photo). */
const smallPortraitSide = 256
/** Longest side up to which a folder of one size is taken for a folder of crops. */
const cropFolderSide = 160
/** Photos of a uniform folder looked at before deciding. */
export const cropSampleSize = 16

/** What the sizes of a folder's images say. */
export interface FolderShapes {
  /** Images whose size could be read. */
  read: number
  /** The one size every read image has, or null. */
  common: ImageShape | null
  /** Images no larger than `smallPortraitSide` on the longer side. */
  small: number
}

export function summariseShapes(shapes: (ImageShape | null)[]): FolderShapes {
  const known = shapes.filter((s): s is ImageShape => s !== null)
  const first = known[0]
  const common = first && known.every((s) => s.width === first.width && s.height === first.height) ? first : null
  return { read: known.length, common, small: known.filter((s) => Math.max(s.width, s.height) <= smallPortraitSide).length }
}

/** A folder of one small size: worth sampling before finding faces in every image. */
export function mayBeCropFolder(shapes: FolderShapes, total: number): boolean {
  const { common } = shapes
  return common !== null && shapes.read >= Math.max(2, total * 0.9) && Math.max(common.width, common.height) <= cropFolderSide
}

/**
 * Small portraits without a face found are kept whole where most images of the folder are small
 * portraits (a folder of crops); in a folder of photos they are left out, as any photo without a face.
 */
export function keepsUndetectedPortraits(shapes: FolderShapes): boolean {
  return shapes.read > 0 && shapes.small >= shapes.read * 0.5
}

export function isSmallPortrait(width: number, height: number): boolean {
  return width > 0 && Math.max(width, height) <= smallPortraitSide
}

/** Geometry of the faces found in a sample, each as fractions of its photo. */
interface SampleFace {
  eyeDistance: number
  eyesX: number
  eyesY: number
  tiltDeg: number
  /** Share of the aligned crop that falls outside the photo (border the warp must invent). */
  outside: number
  eyePixels: number
}

/**
 * Why a uniform folder is better imported whole, in the words of the summary ("faces fill the
 * frame"), or null when its faces should be found and aligned.
 */
export function wholeFilesVerdict(sample: PhotoFaces[]): string | null {
  const photos = sample.filter((p) => p.width > 0)
  if (photos.length === 0) return null
  const faces = photos.flatMap((p) => p.faces.slice(0, 1).map((face) => sampleFace(p, face)))
  if (faces.length >= 3 && median(faces.map((f) => f.outside)) > 0.3) return 'faces fill the frame'
  if (faces.length >= 3 && median(faces.map((f) => f.eyePixels)) < 12) return 'faces too small to align'
  if (faces.length < photos.length * 0.6) return `faces found in only ${faces.length} of ${photos.length} sampled`
  const spread = (values: number[]): number => quantile(values, 0.9) - quantile(values, 0.1)
  const level =
    spread(faces.map((f) => f.eyesX)) <= 0.08 &&
    spread(faces.map((f) => f.eyesY)) <= 0.08 &&
    spread(faces.map((f) => f.eyeDistance)) <= 0.1 &&
    spread(faces.map((f) => f.tiltDeg)) <= 6
  return level ? 'faces already aligned' : null
}

function sampleFace(photo: PhotoFaces, face: PhotoFaces['faces'][number]): SampleFace {
  const { left, right } = face.eyes
  const eyePixels = Math.hypot(right[0] - left[0], right[1] - left[1])
  const side = face.image.width
  const back = invertAffine(face.transform)
  let outside = 0
  let count = 0
  for (let y = 0.5; y < side; y += side / 16) {
    for (let x = 0.5; x < side; x += side / 16) {
      const [px, py] = applyAffine(back, [x, y])
      count++
      if (px < 0 || py < 0 || px > photo.width || py > photo.height) outside++
    }
  }
  return {
    eyeDistance: eyePixels / photo.width,
    eyesX: (left[0] + right[0]) / 2 / photo.width,
    eyesY: (left[1] + right[1]) / 2 / photo.height,
    tiltDeg: (Math.atan2(right[1] - left[1], right[0] - left[0]) * 180) / Math.PI,
    outside: outside / count,
    eyePixels
  }
}

/** `count` indices spread evenly over `total` (all of them when there are fewer). */
export function sampleIndices(total: number, count: number): number[] {
  if (total <= count) return Array.from({ length: total }, (_, i) => i)
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * total) / count))
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]
}

function median(values: number[]): number {
  return quantile(values, 0.5)
}
