import { describe, expect, it } from 'vitest'
import { RestartPolicy } from './restart-policy'

describe('RestartPolicy', () => {
  it('waits longer after each failure and gives up after three within a minute', () => {
    let t = 0
    const policy = new RestartPolicy({ now: () => t })
    expect(policy.failed()).toBe(500)
    t += 1_000
    expect(policy.failed()).toBe(2_000)
    t += 3_000
    expect(policy.failed()).toBeNull()
  })

  it('forgets failures older than its window, and all of them on reset', () => {
    let t = 0
    const policy = new RestartPolicy({ now: () => t })
    policy.failed()
    policy.failed()
    t += 61_000
    expect(policy.failed()).toBe(500)
    policy.failed()
    policy.reset()
    expect(policy.failed()).toBe(500)
  })
})
