import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../../shared/images'
import { fakeStudio } from '../../../../../test/support/fake-studio'
import { Exporter } from '../exporter.svelte'
import { Notices } from '../notices.svelte'
import { TimelineStore } from './timeline.svelte'

const image = (v: number): RawImage => ({ width: 2, height: 2, channels: 1, pixels: new Uint8Array(4).fill(v) })

describe('TimelineStore', () => {
  it('builds one row per checkpoint and exports rows as PNG and frames as an animation', async () => {
    const fake = fakeStudio({
      latentTimeline: ({ count }) => ({
        frames: [10, 20].map((step) => ({ step, epoch: step / 10, images: Array.from({ length: count }, () => image(step)) })),
        skipped: ['checkpoint step-5 is damaged']
      }),
      exportPng: () => ({ path: '/out/t.png', bytes: new Uint8Array() }),
      exportAnimation: () => ({ path: '/out/t.gif', bytes: new Uint8Array() })
    })
    const notices = new Notices()
    const store = new TimelineStore(fake.api, notices, new Exporter(fake.api, notices, true))
    store.count = 4
    store.seed = 7
    await store.run()
    expect(fake.callsOf('latentTimeline')).toEqual([{ count: 4, seed: 7, temperature: 1 }])
    expect(store.frames.map((f) => f.step)).toEqual([10, 20])
    expect(store.skipped).toEqual(['checkpoint step-5 is damaged'])
    await store.exportPng()
    expect(fake.callsOf('exportPng')).toMatchObject([{ columns: 4 }])
    expect((fake.callsOf('exportPng')[0] as { images: RawImage[] }).images).toHaveLength(8)
    await store.exportAnimation('gif')
    const [anim] = fake.callsOf('exportAnimation') as Array<{ frames: RawImage[] }>
    // Each frame is the checkpoint's 4 images tiled 2 × 2 with a 2-pixel gap.
    expect(anim.frames.map((f) => [f.width, f.height, f.pixels[0]])).toEqual([
      [6, 6, 10],
      [6, 6, 20]
    ])
  })

  it('tells "no checkpoints" apart from "not built yet"', async () => {
    const fake = fakeStudio({ latentTimeline: () => ({ frames: [], skipped: [] }) })
    const store = new TimelineStore(fake.api, new Notices(), new Exporter(fake.api, new Notices(), false))
    expect(store.built).toBe(false)
    await store.run()
    expect(store.built).toBe(true)
    expect(store.frames).toEqual([])
  })
})
