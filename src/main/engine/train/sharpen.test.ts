import { describe, expect, it } from 'vitest'
import { graceSteps, maxLambda, rampSteps, Sharpener } from './sharpen'

const config = { sharpen: 0.5, sharpenAfter: 100 }
const step = (squaredError: number, reconGradientSq = 16, adversarialGradientSq = 4) => ({
  squaredError,
  reconGradientSq,
  adversarialGradientSq
})

describe('Sharpener', () => {
  it('adds no term before `sharpenAfter`, and none at all when off', () => {
    expect(new Sharpener(config).weightFor(98)).toBeUndefined()
    expect(new Sharpener({ ...config, sharpen: 0 }).weightFor(500)).toBeUndefined()
    expect(new Sharpener({ ...config, sharpen: 0 }).configured).toBe(false)
  })

  it('sets λ = w·‖∇rec‖/‖∇adv‖ from the step before and ramps it in over the first steps', () => {
    const s = new Sharpener(config)
    // The first step measures the norms with a vanishing weight.
    expect(s.weightFor(100)).toBe(1e-8)
    expect(s.record(101, 1e-8, step(0.01, 16, 4))).toBe(
      'Sharpening started: a critic now judges the reconstructions, ramping in over 100 steps.'
    )
    // λ = 0.5 · 4 / (2 + 1e-4), × the ramp at the second step.
    const lambda = (0.5 * 4) / (2 + 1e-4)
    expect(s.state.lambda).toBeCloseTo(lambda, 12)
    expect(s.weightFor(101)).toBeCloseTo((lambda * 2) / rampSteps, 12)
    expect(s.weightFor(100 + rampSteps + 50)).toBeCloseTo(lambda, 12)
  })

  it('caps λ when the adversarial gradient vanishes', () => {
    const s = new Sharpener(config)
    s.record(101, 1e-8, step(0.01, 1e6, 0))
    expect(s.state.lambda).toBe(maxLambda)
  })

  it('halves the weight when the squared error climbs, twice, then turns the term off, saying why each time', () => {
    const s = new Sharpener(config)
    for (let k = 1; k <= 100; k++) expect(s.record(k, undefined, step(0.01))).toBeNull()
    const notices: Array<[number, string]> = []
    // The reconstructions degrade steadily once the term is on.
    for (let k = 101; k <= 2000 && s.state.weight > 0; k++) {
      const notice = s.record(k, s.weightFor(k - 1), step(0.01 * (1 + (k - 100) / 100)))
      if (notice) notices.push([k, notice])
    }
    expect(notices.map(([, n]) => n)).toEqual([
      expect.stringMatching(/^Sharpening started/),
      expect.stringMatching(
        /^Sharpening backed off to weight 0.25: the squared error rose from 0.0100 to 0.0\d+ since sharpening began\.$/
      ),
      expect.stringMatching(/^Sharpening backed off to weight 0.125: /),
      expect.stringMatching(/^Sharpening turned off: .*also at a quarter of its weight\. The run goes on without it\.$/)
    ])
    // Never within the grace after the start or a back-off.
    expect(notices[0][0]).toBe(101)
    expect(notices[1][0]).toBeGreaterThanOrEqual(101 + graceSteps)
    expect(notices[2][0] - notices[1][0]).toBeGreaterThanOrEqual(graceSteps)
    expect(notices[3][0] - notices[2][0]).toBeGreaterThanOrEqual(graceSteps)
    expect(s.state).toMatchObject({ weight: 0, backoffs: 2 })
    expect(s.weightFor(5000)).toBeUndefined()
  })

  it('leaves a steady run alone', () => {
    const s = new Sharpener(config)
    const said = Array.from({ length: 3000 }, (_, k) => s.record(k + 1, s.weightFor(k), step(0.01 * (1 + 0.3 * Math.sin(k)))))
    expect(said.filter((n) => n !== null)).toEqual([expect.stringMatching(/^Sharpening started/)])
    expect(s.state.weight).toBe(0.5)
  })

  it('resumes its schedule from a checkpoint, unless the user chose another weight', () => {
    const s = new Sharpener(config)
    for (let k = 1; k <= 150; k++) s.record(k, s.weightFor(k - 1), step(0.01))
    const saved = s.state
    expect(new Sharpener(config, saved).state).toEqual(saved)
    expect(new Sharpener({ ...config, sharpen: 1 }, saved).state).toMatchObject({ chosen: 1, weight: 1, lambda: 0, errorMean: null })
  })
})
