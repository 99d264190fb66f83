/**
 * Child process for parallel-decoder.test.ts: decodes one grid through the worker thread and then
 * simply returns, leaving the worker running and idle. The process must end by itself.
 */
import { defaultModelConfig } from '../../src/shared/config'
import { selectBackend } from '../../src/main/engine/backend/select-backend'
import { VaeModel } from '../../src/main/engine/model/vae-model'
import { sampleCodes } from '../../src/main/engine/inference/inference'
import { ParallelDecoder } from '../../src/main/engine/inference/parallel-decoder'

async function main(): Promise<void> {
  await selectBackend('wasm')
  const model = new VaeModel({ ...defaultModelConfig, imageSize: 32, channels: 1, latentDim: 4, baseFilters: 8 }, 1)
  const decoder = new ParallelDecoder()
  const ready = await decoder.warmUp()
  const images = await decoder.decode(model, sampleCodes(4, 12, 1, 1))
  process.stdout.write(JSON.stringify({ ready, images: images.length, remote: decoder.remoteImages }))
}

void main()
