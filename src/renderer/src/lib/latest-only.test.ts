import { describe, expect, it } from 'vitest'
import { deferred, settle } from '../../../../test/support/fake-studio'
import { LatestOnly } from './latest-only'

describe('LatestOnly', () => {
  it('keeps one job in flight and runs only the latest of the inputs that arrived meanwhile', async () => {
    const started: number[] = []
    const gates: Array<ReturnType<typeof deferred<number>>> = []
    const results: number[] = []
    const runner = new LatestOnly<number, number>(
      (v) => {
        started.push(v)
        const gate = deferred<number>()
        gates.push(gate)
        return gate.promise
      },
      (r) => results.push(r),
      (err) => {
        throw err
      }
    )
    runner.push(1)
    for (let v = 2; v <= 30; v++) runner.push(v)
    expect(started).toEqual([1])
    gates[0].resolve(10)
    await settle()
    expect(started).toEqual([1, 30])
    expect(runner.busy).toBe(true)
    gates[1].resolve(300)
    await settle()
    expect(results).toEqual([10, 300])
    expect(runner.busy).toBe(false)
  })

  it('reports a failed job and goes on with the next input', async () => {
    const errors: unknown[] = []
    const results: number[] = []
    const runner = new LatestOnly<number, number>(
      async (v) => {
        if (v === 1) throw new Error('boom')
        return v * 2
      },
      (r) => results.push(r),
      (err) => errors.push(err)
    )
    runner.push(1)
    runner.push(2)
    await settle()
    expect(errors).toHaveLength(1)
    expect(results).toEqual([4])
  })
})
