/**
 * Finding, aligning and describing faces at import (see README.md): what the dataset import and
 * the sample-quality check use. Everything runs in worker threads with face-api's own tfjs; the
 * engine's tfjs is never touched.
 */
export { createFaceFinder, type FaceFinder } from './face-finder'
export { loadFaceCache } from './face-cache'
export type { AlignedFace, PhotoFaces, Point, SkippedFace } from './face-types'
