/**
 * Finding, aligning and describing faces at import (see README.md). Everything runs in worker
 * threads with face-api's own tfjs; the engine's tfjs is never touched.
 */
export { createFaceFinder, describeAlignedFaces, type FaceFinder, type FaceFinderOptions, type PhotoInput } from './face-finder'
export { createFaceCache, loadFaceCache, type FaceCache } from './face-cache'
export {
  defaultAlignOptions,
  defaultDetectOptions,
  detectionKey,
  resolveFaceOptions,
  sha256Hex,
  type AlignOptions,
  type DetectOptions,
  type FaceOptions,
  type Framing
} from './face-options'
export { alignmentTransform, applyAffine, eyeCentres, faceTransform, framings, invertAffine } from './alignment'
export type {
  Affine,
  AlignedFace,
  DetectedFace,
  Expressions,
  ExpressionName,
  FaceBox,
  PhotoDetections,
  PhotoFaces,
  Point,
  SkippedFace
} from './face-types'
export { expressionNames } from './face-types'
export type { FaceWorkerStats } from './face-worker-protocol'
