/**
 * Hardening, part 7: a half-minute soak (see `soak.ts`; the bench runs it for longer). Training
 * steps, epochs with previews, checkpoints and decodes from the live model by the thousand leave
 * the engine's tensor count exactly where it was and memory about where it was.
 */
import { describe, expect, it } from 'vitest'
import { useWasm } from '../support/small-setup'
import { soak } from '../../src/main/bench/soak'

describe('soak', () => {
  it('trains and decodes for half a minute with a flat tensor count and bounded memory', async () => {
    await useWasm()
    const result = await soak({ minutes: 0.5 })
    console.info(`soak: ${JSON.stringify(result)}`)
    expect(result.steps).toBeGreaterThan(200)
    expect(result.decodes).toBeGreaterThan(300)
    expect(result.tensorsEnd).toBe(result.tensorsStart)
    // The live heap after a full collection barely moves; a leak of one decoded image per decode
    // (4 kB × thousands) or of every epoch's previews would add well over this.
    expect(result.heapEndMb - result.heapStartMb).toBeLessThan(8)
    // RSS keeps pages V8 has let go of and swings by tens of percent: a generous bound only.
    expect(result.rssGrowthPct).toBeLessThan(60)
  }, 120_000)
})
