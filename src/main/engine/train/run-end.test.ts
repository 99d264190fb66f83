import { describe, expect, it } from 'vitest'
import { recommendedSteps } from '../../../shared/run-length'
import { alreadyTrained, stoppedState } from './run-end'

describe('what an ending run says', () => {
  const shape = { trainImages: 900, batchSize: 32 }

  it('says how long a run already is, in the unit asked or as the recommended steps', () => {
    expect(alreadyTrained({ unit: 'epochs', amount: 3 }, shape)).toBe(
      'already trained 3 epochs in all; make the run longer to train further'
    )
    expect(alreadyTrained({ unit: 'steps', amount: null }, shape)).toBe(
      `already trained the recommended ${recommendedSteps(shape)} steps in all; make the run longer to train further`
    )
  })

  it('names the steps a stop could not save and what the project keeps', () => {
    expect(stoppedState({ saved: true }, 40, 57)).toEqual({ state: 'stopped' })
    expect(stoppedState({ saved: false, lastError: 'ENOSPC' }, 40, 57)).toEqual({
      state: 'stopped',
      reason: 'could not save the last steps (ENOSPC): the project keeps its checkpoint at step 40; steps 41–57 were not saved'
    })
    expect(stoppedState({ saved: false, lastError: 'ENOSPC' }, 0, 3).reason).toBe(
      'could not save the last steps (ENOSPC): the project has no checkpoint of this run; steps 1–3 were not saved'
    )
  })
})
