/** The reference model (64×64×3, z = 32, the default architecture), as bench/model-bench.ts has it. */
import { defaultModelConfig, type ModelConfig } from '../../../src/shared/config'

export const referenceModel: ModelConfig = { ...defaultModelConfig, imageSize: 64, channels: 3, latentDim: 32 }
