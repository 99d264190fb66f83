/** Face-sample quality (face-embedding metrics): what the engine session, CLI and bench call. */
export { FaceEmbedder, startFaceEmbedWorker, type EmbedTiming, type FaceEmbedderOptions } from './face-embedder'
export { faceEmbeddingDim } from './face-embed-protocol'
export { frechetDistance, frechetStats, type FrechetStats } from './frechet-distance'
export { kernelDistance, mmdUnbiased, type KernelDistance, type KernelDistanceOptions } from './kernel-distance'
export { cosineSimilarity, identitySimilarity, type IdentitySimilarity } from './identity-similarity'
export { metricFloor, splitHalves, type MetricFloor } from './metric-floor'
export {
  datasetImages,
  heldOutFaces,
  heldOutRows,
  referenceFaces,
  referenceRows,
  type HeldOutFaces,
  type ReferenceFaces
} from './reference-faces'
export { distanceToReference, measureSampleQuality, type SampleQuality, type SetDistance } from './sample-quality'
export { facesSampleSize, facesShareNeeded, facesShown, sampleRows, type FacesShown } from './faces-shown'
export { symmetricEigen, gaussianStats, type Rows } from './linalg'
