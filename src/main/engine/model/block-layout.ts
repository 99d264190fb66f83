/**
 * The layout both halves of the network share: stride-2 blocks between the image and a 4×4
 * bottleneck, the encoder counting down from the image and the decoder mirroring it back up.
 */

/** Spatial size at the bottleneck, where the encoder flattens and the decoder starts. */
export const bottleneckSize = 4

/** LeakyReLU slope of every hidden block, as in the reference architecture. */
export const leakySlope = 0.2

/** Stride-2 blocks from the image size down to 4×4: 32 → 3, 64 → 4, 128 → 5. */
export function blockCount(imageSize: number): number {
  return Math.log2(imageSize / bottleneckSize)
}

/** Channels of block i counted from the image (the decoder's mirror): `width` doubled per block, capped at 8 × `width`. */
export function blockFilters(width: number, i: number): number {
  return width * 2 ** Math.min(i, 3)
}
