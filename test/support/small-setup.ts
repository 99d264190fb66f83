/** Shared fixtures for engine tests: a small model and dataset that train in seconds on 2 cores. */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { defaultTrainConfig, type ModelConfig, type TrainConfig } from '../../src/shared/config'
import { selectBackend } from '../../src/main/engine/backend/select-backend'
import { generateDemoFaces } from '../../src/main/engine/demo/generate'

export const smallModel: ModelConfig = { imageSize: 32, channels: 3, latentDim: 8, recon: 'bce', baseFilters: 8 }

/** A short run's config; `epochs` sets the run length in epochs (2 unless given), as most tests think of it. */
export function smallTrain({ epochs = 2, ...overrides }: Partial<TrainConfig> & { epochs?: number } = {}): TrainConfig {
  // Sample-quality measuring (face-api workers) is off unless a test is about it.
  return {
    ...defaultTrainConfig,
    length: { unit: 'epochs', amount: epochs },
    batchSize: 16,
    checkpointEverySteps: 3,
    valFraction: 0.2,
    quality: false,
    ...overrides
  }
}

export function smallDataset(count = 48): { images: Uint8Array; size: 32; channels: 3; count: number } {
  return { images: generateDemoFaces(count, 11, 32).images, size: 32, channels: 3, count }
}

export async function useWasm(): Promise<void> {
  await selectBackend('wasm')
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(tmpdir(), `vae-${prefix}-`))
}
