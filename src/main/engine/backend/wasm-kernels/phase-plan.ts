/**
 * Geometry of a convolution's input gradient split by output phase, along one spatial axis.
 *
 * The input gradient of a strided convolution (equivalently, a transposed convolution) is usually
 * computed as a convolution over `dy` with zeros inserted between its elements; at stride 2 three
 * quarters of the multiplications then hit those zeros. Instead, the gradient rows are grouped by
 * `row mod stride`: every group ("phase") only ever meets a fixed subset of the filter taps, so it
 * is a plain stride-1 convolution of `dy` with that subset, reversed. The phases are computed
 * separately and interleaved, with no wasted work.
 *
 * Forward convolution: y[o] = Σ_k x[o·stride + k·dilation − padBefore] · w[k]. For the gradient
 * row i = stride·q + p, the taps are those k with (p + padBefore − k·dilation) divisible by the
 * stride, each reading dy[q + e_k] with e_k = (p + padBefore − k·dilation) / stride.
 */

export interface AxisPhase {
  /** Filter taps in the order the phase convolution applies them (ascending dy offset). */
  taps: number[]
  /** Dilation of the phase convolution (taps are evenly spaced in dy). */
  dilation: number
  /** Zero padding before and after dy for the phase convolution. */
  padBefore: number
  padAfter: number
  /** Length of the phase convolution's output along this axis. */
  length: number
  /** Index in that output of gradient row q = 0 of this phase. */
  offset: number
}

export interface AxisPlan {
  /** Gradient rows per phase (ceil(inSize / stride)); the last ones may fall beyond inSize. */
  rowsPerPhase: number
  /** One entry per phase p = 0 … stride − 1. */
  phases: AxisPhase[]
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

/**
 * @param inSize   length of the forward input (= of the gradient) along the axis
 * @param outSize  length of dy along the axis
 */
export function planAxis(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  padBefore: number
): AxisPlan {
  const rowsPerPhase = Math.ceil(inSize / stride)
  const tapSpacing = dilation / gcd(stride, dilation)
  const phases: AxisPhase[] = []
  for (let p = 0; p < stride; p++) {
    const taps: number[] = []
    for (let k = filterSize - 1; k >= 0; k--) {
      if ((p + padBefore - k * dilation) % stride === 0) taps.push(k)
    }
    if (taps.length === 0) {
      phases.push({ taps, dilation: 1, padBefore: 0, padAfter: 0, length: 0, offset: 0 })
      continue
    }
    const firstOffset = (p + padBefore - taps[0] * dilation) / stride
    const pb = Math.max(0, -firstOffset)
    const offset = firstOffset + pb
    const span = (taps.length - 1) * tapSpacing
    const pa = Math.max(0, offset + rowsPerPhase + span - outSize - pb)
    phases.push({
      taps,
      dilation: tapSpacing,
      padBefore: pb,
      padAfter: pa,
      length: outSize + pb + pa - span,
      offset
    })
  }
  return { rowsPerPhase, phases }
}
