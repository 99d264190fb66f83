import { describe, expect, it } from 'vitest'
import { buildBatch } from './batch-builder'
import { effectiveBeta } from './beta-schedule'
import { epochOrder, imagesSeenOf, splitIndices } from './data-split'

describe('data split and epoch order', () => {
  it('holds out a disjoint, seed-determined validation set', () => {
    const a = splitIndices(100, 0.1, 3)
    expect(a.val).toHaveLength(10)
    expect(a.train).toHaveLength(90)
    expect(new Set([...a.val, ...a.train]).size).toBe(100)
    expect(splitIndices(100, 0.1, 3)).toEqual(a)
    expect(splitIndices(100, 0.1, 4).val).not.toEqual(a.val)
  })

  it('refuses a dataset too small to split', () => {
    expect(() => splitIndices(1, 0.1, 1)).toThrow(/too few/)
  })

  it('visits every training image once per epoch in an order fixed by seed and epoch', () => {
    const train = [5, 6, 7, 8, 9, 10, 11]
    const e0 = epochOrder(train, 1, 0)
    expect([...e0].sort((a, b) => a - b)).toEqual(train)
    expect(epochOrder(train, 1, 0)).toEqual(e0)
    expect(epochOrder(train, 1, 1)).not.toEqual(e0)
  })

  it('places a checkpoint from before images were counted where its step put it at this batch size', () => {
    const shape = { trainImages: 7, batchSize: 3 } // steps of 3, 3, 1 images
    expect(imagesSeenOf({ step: 0 }, shape)).toBe(0)
    expect(imagesSeenOf({ step: 2 }, shape)).toBe(6)
    expect(imagesSeenOf({ step: 3 }, shape)).toBe(7)
    expect(imagesSeenOf({ step: 7 }, shape)).toBe(17)
    expect(imagesSeenOf({ step: 7, imagesSeen: 12 }, shape)).toBe(12)
  })
})

describe('batch builder', () => {
  it('scales to [0, 1] and mirrors rows when asked', () => {
    // two 2×2 RGB images
    const images = new Uint8Array(24).map((_, i) => i * 10)
    const data = { images, size: 2, channels: 3 as const }
    const bytes = (a: Float32Array) => Array.from(a, (v) => Math.round(v * 255))
    const plain = buildBatch(data, [1])
    expect(plain).toHaveLength(12)
    expect(bytes(plain.slice(0, 3))).toEqual([120, 130, 140])
    const flipped = buildBatch(data, [1], [true])
    // pixel (0,0) of the mirrored image is pixel (0,1) of the source
    expect(bytes(flipped.slice(0, 3))).toEqual([150, 160, 170])
    expect(bytes(flipped.slice(3, 6))).toEqual([120, 130, 140])
  })
})

describe('KL warm-up', () => {
  it('ramps linearly then holds', () => {
    const w = { kind: 'linear' as const, steps: 100 }
    expect(effectiveBeta(2, w, 0)).toBe(0)
    expect(effectiveBeta(2, w, 50)).toBe(1)
    expect(effectiveBeta(2, w, 500)).toBe(2)
  })

  it('restarts each cycle', () => {
    const w = { kind: 'cyclical' as const, steps: 100 }
    expect(effectiveBeta(1, w, 25)).toBe(0.5)
    expect(effectiveBeta(1, w, 75)).toBe(1)
    expect(effectiveBeta(1, w, 100)).toBe(0)
    expect(effectiveBeta(1, { kind: 'none', steps: 10 }, 0)).toBe(1)
  })
})
