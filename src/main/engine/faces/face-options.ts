/**
 * Options for finding and aligning faces, split by what they affect: detection options change
 * what the nets see and so key the cache; alignment options only change how the found faces are
 * cut out, so changing them re-aligns cached detections without running a net.
 */
import { createHash } from 'node:crypto'

export interface DetectOptions {
  /**
   * tiny: the tiny face detector (fast); ssd: SSD MobileNet v1 (~4× slower, finds more small
   * faces); tiny-then-ssd: SSD only for photos where the tiny detector found nothing.
   */
  detector: 'tiny' | 'ssd' | 'tiny-then-ssd'
  /** The tiny detector's input side (a multiple of 32); ignored by SSD. */
  inputSize: 224 | 320 | 416 | 512 | 608
  /** Detections below this confidence are dropped. */
  minScore: number
  /** Photos are decoded with their longer side at most this (shrink-on-load), in pixels. */
  maxSide: number
  /** The full 68-point net (default) or the tiny one (faster, less precise eyes). */
  landmarkNet: 'full' | 'tiny'
  /** Also compute the recognition net's 128-d descriptor of every face. */
  descriptors: boolean
}

export interface AlignOptions {
  /** Side of the aligned square crop. */
  size: 32 | 64 | 128
  channels: 1 | 3
  /** tight: forehead to chin (CelebA-like); face-and-hair: the whole head with some shoulders (FFHQ-like). */
  framing: Framing
  /**
   * Faces whose detection box is narrower than this (in pixels of the full-size photo) are
   * skipped with a reason naming their size. 0 keeps every face.
   */
  minFaceSize: number
  /** all faces, or only the largest (by detection box area) of each photo. */
  which: 'all' | 'largest'
  /** What fills crop pixels that fall outside the photo. */
  padding: 'edge' | 'black' | 'reflect'
}

export type Framing = 'tight' | 'face-and-hair'
export type FaceOptions = DetectOptions & AlignOptions

export const defaultDetectOptions: DetectOptions = {
  detector: 'tiny',
  inputSize: 416,
  minScore: 0.4,
  maxSide: 1600,
  landmarkNet: 'full',
  descriptors: false
}

export const defaultAlignOptions: AlignOptions = {
  size: 64,
  channels: 3,
  framing: 'tight',
  minFaceSize: 0,
  which: 'all',
  padding: 'edge'
}

const inputSizes = [224, 320, 416, 512, 608]

/** Defaults filled in and every field checked, so a bad option fails here and not in a worker. */
export function resolveFaceOptions(options: Partial<FaceOptions> = {}): FaceOptions {
  const resolved: FaceOptions = { ...defaultDetectOptions, ...defaultAlignOptions, ...definedOnly(options) }
  const bad = (field: string, value: unknown, allowed: string): never => {
    throw new RangeError(`face option ${field} must be ${allowed}, got ${JSON.stringify(value)}`)
  }
  const { detector, inputSize, minScore, maxSide, landmarkNet, size, channels, framing, minFaceSize, which, padding } = resolved
  if (detector !== 'tiny' && detector !== 'ssd' && detector !== 'tiny-then-ssd')
    bad('detector', detector, "'tiny', 'ssd' or 'tiny-then-ssd'")
  if (!inputSizes.includes(inputSize)) bad('inputSize', inputSize, inputSizes.join(', '))
  if (!(minScore >= 0 && minScore <= 1)) bad('minScore', minScore, 'between 0 and 1')
  if (!(Number.isInteger(maxSide) && maxSide >= 64 && maxSide <= 16384)) bad('maxSide', maxSide, 'an integer from 64 to 16384')
  if (landmarkNet !== 'full' && landmarkNet !== 'tiny') bad('landmarkNet', landmarkNet, "'full' or 'tiny'")
  if (size !== 32 && size !== 64 && size !== 128) bad('size', size, '32, 64 or 128')
  if (channels !== 1 && channels !== 3) bad('channels', channels, '1 or 3')
  if (framing !== 'tight' && framing !== 'face-and-hair') bad('framing', framing, "'tight' or 'face-and-hair'")
  if (!(minFaceSize >= 0 && Number.isFinite(minFaceSize))) bad('minFaceSize', minFaceSize, 'a number ≥ 0')
  if (which !== 'all' && which !== 'largest') bad('which', which, "'all' or 'largest'")
  if (padding !== 'edge' && padding !== 'black' && padding !== 'reflect') bad('padding', padding, "'edge', 'black' or 'reflect'")
  return resolved
}

/** The options that change what the nets return, in a fixed order. */
export function detectOptionsOf(options: FaceOptions): DetectOptions {
  const { detector, inputSize, minScore, maxSide, landmarkNet, descriptors } = options
  return { detector, inputSize: detector === 'ssd' ? 416 : inputSize, minScore, maxSide, landmarkNet, descriptors }
}

/**
 * The cache key of one photo under some options: its content hash plus the detection options
 * (alignment options are deliberately left out). `contentHash` is sha256 hex of the file bytes.
 */
export function detectionKey(contentHash: string, options: FaceOptions): string {
  const d = detectOptionsOf(options)
  return `${contentHash}:${d.detector}-${d.inputSize}-${d.minScore}-${d.maxSide}-${d.landmarkNet}${d.descriptors ? '-desc' : ''}`
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>
}
