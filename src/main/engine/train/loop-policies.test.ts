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

  it('measures steps and images per second over windows of a second, and the pace behind the time left', () => {
    let now = 0
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const meter = new ThroughputMeter()
    now = 400
    meter.recordStep(10)
    expect([meter.stepsPerSec, meter.imgPerSec, meter.pace]).toEqual([0, 0, null]) // not a second yet
    now = 1000
    meter.recordStep(10)
    expect(meter.stepsPerSec).toBeCloseTo(2)
    expect(meter.imgPerSec).toBeCloseTo(20)
    expect(meter.pace).toEqual({ secPerStep: 0.5, imagesPerStep: 10 })
    now = 5000
    meter.restartWindow() // after a pause: the paused time is not slowness
    now = 6200
    meter.recordStep(30)
    expect(meter.imgPerSec).toBeCloseTo(25)
    expect(meter.stepsPerSec).toBeCloseTo(1 / 1.2)
    // The pace moves towards the new window's: 0.7 × 0.5 s + 0.3 × 1.2 s.
    expect(meter.pace?.secPerStep).toBeCloseTo(0.71)
  })

  it('counts the images a step really held on a set smaller than a batch (batch 64, 29 images)', () => {
    let now = 0
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const meter = new ThroughputMeter()
    // 114 steps of 29 images in 75 s (issue 20.4: it showed 0.69–0.80 steps/s, images/s 64 × that).
    for (let i = 1; i <= 114; i++) {
      now = (i * 75_000) / 114
      meter.recordStep(29)
    }
    expect(meter.stepsPerSec).toBeCloseTo(114 / 75, 1)
    expect(meter.imgPerSec).toBeCloseTo((114 * 29) / 75, 0)
    expect(meter.imgPerSec / meter.stepsPerSec).toBeCloseTo(29)
    expect(meter.pace?.imagesPerStep).toBeCloseTo(29)
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
