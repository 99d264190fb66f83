/**
 * Turns rows of the uint8 dataset cache into a float batch in [0, 1], optionally mirrored, without
 * materialising the whole dataset as floats (a 20,000-image set would need 1 GB as float32).
 */
export interface DatasetPixels {
  images: Uint8Array
  size: number
  channels: 1 | 3
}

export function buildBatch(data: DatasetPixels, indices: readonly number[], flips?: readonly boolean[]): Float32Array {
  const { size, channels } = data
  const row = size * channels
  const imageLen = size * row
  const out = new Float32Array(indices.length * imageLen)
  const scale = 1 / 255
  indices.forEach((index, b) => {
    const src = index * imageLen
    const dst = b * imageLen
    if (!flips?.[b]) {
      for (let i = 0; i < imageLen; i++) out[dst + i] = data.images[src + i] * scale
      return
    }
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = src + y * row + (size - 1 - x) * channels
        const to = dst + y * row + x * channels
        for (let c = 0; c < channels; c++) out[to + c] = data.images[from + c] * scale
      }
    }
  })
  return out
}
