import { beforeAll, describe, expect, it } from 'vitest'
import { smallDataset, smallModel, useWasm } from '../../../../test/support/small-setup'
import { VaeModel } from '../model/vae-model'
import { CodeSamplers, refitAfterSteps } from './code-samplers'

beforeAll(useWasm)

describe('the session’s code samplers', () => {
  it('fit once per model version, and while training once per few hundred steps', () => {
    const samplers = new CodeSamplers()
    const model = new VaeModel(smallModel, 1)
    const data = smallDataset(60)
    const train = { valFraction: 0.2, seed: 1 }
    const at = (step: number, training: boolean, d = data, t = train) => samplers.fitted({ model, step }, d, t, training)

    const first = at(10, false)
    expect(first.from).toBe('fitted')
    expect(first.faces).toBe(48)
    expect(at(10, false)).toBe(first)
    // A checkpoint of another step is another model: fitted again.
    const second = at(11, false)
    expect(second).not.toBe(first)
    // While training, a fit serves the steps after it for a while.
    expect(at(11 + refitAfterSteps - 1, true)).toBe(second)
    expect(at(11 + refitAfterSteps, true)).not.toBe(second)
    // Another dataset or split: fitted again.
    const third = at(500, false)
    expect(at(500, false, smallDataset(60))).not.toBe(third)
    expect(at(500, false, data, { valFraction: 0.5, seed: 1 }).faces).toBe(30)
    model.dispose()
  })
})
