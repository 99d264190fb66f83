import { afterEach, describe, expect, it, vi } from 'vitest'
import { EpochMeans } from './epoch-report'
import { NanGuard } from './nan-guard'
import { RunControl } from './run-control'
import { ThroughputMeter } from './throughput-meter'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the training loop policies', () => {
  it('averages an epoch and starts the next one from zero', () => {
    const means = new EpochMeans()
    means.add({ loss: 3, recon: 2, kl: 1 })
    means.add({ loss: 5, recon: 4, kl: 1 })
    expect(means.take()).toEqual({ loss: 4, recon: 3, kl: 1 })
    expect(means.take()).toEqual({ loss: 0, recon: 0, kl: 0 })
  })

  it('rolls back three NaN steps per checkpoint and gives up on the fourth', () => {
    const guard = new NanGuard()
    for (let i = 0; i < 3; i++) expect(guard.record(11 + i, NaN, 10, 0.001).diverged).toBe(false)
    guard.reset()
    for (let i = 0; i < 3; i++) expect(guard.record(21 + i, NaN, 20, 0.001)).toMatchObject({ diverged: false })
    const verdict = guard.record(24, NaN, 20, 0.001)
    expect(verdict).toMatchObject({ diverged: true })
    expect(verdict.diverged && verdict.reason).toContain('4 times since the checkpoint at step 20 (last at step 24)')
  })

  it('measures speed over windows of a second and the ETA from step times', () => {
    let now = 0
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const meter = new ThroughputMeter()
    now = 100
    meter.recordStep(10, 0)
    expect(meter.imgPerSec).toBe(100)
    expect(meter.etaSec(5)).toBeCloseTo(0.5)
    now = 400
    meter.recordStep(10, 100)
    expect(meter.imgPerSec).toBe(100) // the window is not a second old yet
    expect(meter.etaSec(1)).toBeCloseTo(0.12)
    now = 5000
    meter.restartWindow()
    now = 6200
    meter.recordStep(30, 6000)
    expect(meter.imgPerSec).toBeCloseTo(25)
  })

  it('holds a pause until resumed, and lets a stop end it', async () => {
    const control = new RunControl()
    expect(control.pausedUntil).toBeNull()
    control.pause()
    const first = control.pausedUntil
    control.pause()
    expect(control.pausedUntil).toBe(first)
    control.resume()
    await first
    expect(control.pausedUntil).toBeNull()
    control.pause()
    const second = control.pausedUntil
    control.stop()
    await second
    expect(control.stopRequested).toBe(true)
  })
})
