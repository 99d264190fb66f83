/**
 * One photo, start to finish, inside a face worker: decode it (upright, reduced if big), run the
 * nets unless the caller already knows the detections (a cache hit), pick the faces the options
 * keep, and cut each one out aligned. Coordinates leave here in the full-size upright photo's
 * frame whatever size it was decoded at.
 */
import { composeAffine, eyeCentres, faceTransform } from './alignment'
import { analysePhoto } from './analyse-photo'
import { contextFractions, contextRetryMaxSide, padWithEdges, unpadFace } from './context-padding'
import { decodePhoto, type DecodedPhoto, type Decoder } from './decode-photo'
import { detectOptionsOf, type FaceOptions } from './face-options'
import type { LoadedNets } from './face-nets'
import type { AlignedFace, DetectedFace, PhotoDetections, PhotoFaces, SkippedFace } from './face-types'
import type { RgbImage } from './rgb-region'
import { selectFaces } from './select-faces'
import { toPixels, warpRegion } from './warp-face'

/** Bytes of an image file, or pixels already decoded (upright; 1, 3 or 4 channels). */
export type PhotoSource = { bytes: Uint8Array } | { pixels: Uint8Array; width: number; height: number; channels: 1 | 3 | 4 }

export interface PhotoWork {
  source: PhotoSource
  options: FaceOptions
  /** Detections from the cache: the nets are skipped. */
  known?: PhotoDetections
  decoder?: Decoder
}

/** Thrown between stages when the caller has cancelled. */
export class PhotoCancelled extends Error {}

/**
 * @param decoding the photo's decode, when the caller started it early (to overlap it with the
 *   previous photo's nets); started here otherwise.
 */
export async function findInPhoto(
  nets: LoadedNets,
  work: PhotoWork,
  checkCancelled: () => void = () => {},
  decoding: Promise<DecodedPhoto | { reason: string }> = decodeSource(work.source, work.options.maxSide, work.decoder)
): Promise<{ result: PhotoFaces; detections: PhotoDetections }> {
  const { options, known } = work
  const decoded = await decoding
  checkCancelled()
  if ('reason' in decoded) {
    return {
      result: { width: 0, height: 0, faces: [], skipped: [], reason: decoded.reason, cached: false },
      detections: { width: 0, height: 0, faces: [], unreadable: decoded.reason }
    }
  }
  // Decoded pixels → full-size upright photo, per axis (rounding makes the two differ slightly).
  const sx = decoded.fullWidth / decoded.width
  const sy = decoded.fullHeight / decoded.height
  let detections: PhotoDetections
  if (known && !known.unreadable) {
    detections = known
  } else {
    const found = await analyseWithContext(nets, decoded, options, checkCancelled)
    detections = { width: decoded.fullWidth, height: decoded.fullHeight, faces: found.map((face) => scaleFace(face, sx, sy)) }
  }
  checkCancelled()
  const { kept, skipped } = selectFaces(detections.faces, options)
  const faces = kept.map((face) => alignOne(nets, decoded, face, options, sx, sy))
  const result: PhotoFaces = { width: decoded.fullWidth, height: decoded.fullHeight, faces, skipped, cached: known !== undefined }
  if (faces.length === 0) result.reason = noFaceReason(detections.faces.length, skipped)
  return { result, detections }
}

/** The faces of the decoded photo; a small one with none found is tried again with context around it. */
async function analyseWithContext(
  nets: LoadedNets,
  decoded: DecodedPhoto,
  options: FaceOptions,
  checkCancelled: () => void
): Promise<DetectedFace[]> {
  const detect = detectOptionsOf(options)
  const found = await analysePhoto(nets, decoded, detect)
  if (found.length > 0 || Math.max(decoded.width, decoded.height) > contextRetryMaxSide) return found
  for (const fraction of contextFractions) {
    checkCancelled()
    const pad = Math.round(Math.max(decoded.width, decoded.height) * fraction)
    const again = await analysePhoto(nets, padWithEdges(decoded, pad), detect)
    if (again.length > 0) return again.map((face) => unpadFace(face, pad))
  }
  return []
}

function alignOne(nets: LoadedNets, image: RgbImage, face: DetectedFace, options: FaceOptions, sx: number, sy: number): AlignedFace {
  const transform = faceTransform(face.landmarks, options.size, options.framing)
  // The pixels at hand are the decoded ones: decoded → full-size photo → crop.
  const fromDecoded = composeAffine(transform, [sx, 0, 0, 0, sy, 0])
  const warped = warpRegion(nets.tf, image, fromDecoded, options.size, options.padding)
  try {
    const pixels = toPixels(nets.tf, warped, options.channels)
    return {
      ...face,
      image: { width: options.size, height: options.size, channels: options.channels, pixels },
      transform,
      eyes: eyeCentres(face.landmarks)
    }
  } finally {
    warped.dispose()
  }
}

function noFaceReason(found: number, skipped: SkippedFace[]): string {
  if (found === 0) return 'no face found'
  return `no face kept: ${skipped.map((s) => s.reason).join('; ')}`
}

function scaleFace(face: DetectedFace, sx: number, sy: number): DetectedFace {
  if (sx === 1 && sy === 1) return face
  const { box } = face
  return {
    ...face,
    box: { x: box.x * sx, y: box.y * sy, width: box.width * sx, height: box.height * sy },
    landmarks: face.landmarks.map(([x, y]) => [x * sx, y * sy])
  }
}

export async function decodeSource(source: PhotoSource, maxSide: number, decoder?: Decoder): Promise<DecodedPhoto | { reason: string }> {
  if ('bytes' in source) return decodePhoto(source.bytes, maxSide, { decoder })
  const { pixels, width, height, channels } = source
  if (pixels.length !== width * height * channels) return { reason: `pixels do not match ${width}×${height}×${channels}` }
  if (channels === 3) return { pixels, width, height, fullWidth: width, fullHeight: height }
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0, j = 0; j < rgb.length; i += channels, j += 3) {
    rgb[j] = pixels[i]
    rgb[j + 1] = pixels[channels === 1 ? i : i + 1]
    rgb[j + 2] = pixels[channels === 1 ? i : i + 2]
  }
  return { pixels: rgb, width, height, fullWidth: width, fullHeight: height }
}
