/**
 * A run's weights at a measured step, as JSON beside its figures in out/ (the config and each
 * tensor as base64 float32), so a model can be looked at again without training it again.
 */
import { promises as fs, readFileSync } from 'node:fs'
import { VaeModel } from '../../../src/main/engine/model/vae-model'

export async function saveWeights(vae: VaeModel, file: string): Promise<void> {
  const arrays = vae.weightArrays().map((a) => ({
    name: a.name,
    shape: a.shape,
    data: Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64')
  }))
  await fs.writeFile(file, JSON.stringify({ config: vae.config, arrays }))
}

export function loadWeights(file: string): VaeModel {
  const saved = JSON.parse(readFileSync(file, 'utf8'))
  const model = new VaeModel(saved.config, 0)
  model.loadWeightArrays(
    saved.arrays.map((a: { name: string; shape: number[]; data: string }) => {
      const bytes = Buffer.from(a.data, 'base64')
      return {
        name: a.name,
        shape: a.shape,
        data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      }
    })
  )
  return model
}
