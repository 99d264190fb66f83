import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../../shared/images'
import { fakeStudio, settle } from '../../../../../test/support/fake-studio'
import { Exporter } from '../exporter.svelte'
import { Notices } from '../notices.svelte'
import { Picker } from '../picker.svelte'
import { InterpolationStore } from './interpolation.svelte'

const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })

function setup() {
  const fake = fakeStudio({
    latentInterpolate: ({ frames }) => ({
      z: Array.from({ length: frames }, (_, i) => [i, 0]),
      images: Array.from({ length: frames }, (_, i) => image(i))
    }),
    exportAnimation: ({ format }) => ({ path: `/out/strip.${format}`, bytes: new Uint8Array([1]) }),
    exportPng: () => ({ path: '/out/strip.png', bytes: new Uint8Array([1]) })
  })
  const notices = new Notices()
  const exporter = new Exporter(fake.api, notices, true)
  const store = new InterpolationStore(fake.api, notices, exporter)
  const picker = new Picker(() => store.picked())
  return { fake, store, picker, exporter, notices }
}

describe('InterpolationStore', () => {
  it('interpolates as soon as both ends are picked, from dataset images or kept codes', async () => {
    const { fake, store, picker } = setup()
    picker.activate(store.start, store.slots)
    picker.pick({ kind: 'index', index: 4 })
    expect(fake.callsOf('latentInterpolate')).toEqual([])
    picker.pick({ kind: 'code', code: [0.5, -1], image: image(9), label: 'kept' })
    await settle()
    expect(fake.callsOf('latentInterpolate')).toEqual([{ a: { index: 4 }, b: { code: [0.5, -1] }, frames: 8, mode: 'spherical' }])
    expect(store.result?.images).toHaveLength(8)
  })

  it('sends no frame count the engine would refuse', async () => {
    const { fake, store } = setup()
    store.start.pick({ kind: 'index', index: 0 })
    store.end.pick({ kind: 'index', index: 1 })
    store.frames = 500
    expect(store.framesValid).toBe(false)
    await store.run()
    store.frames = 0
    await store.run()
    store.frames = 64
    store.mode = 'linear'
    await store.run()
    expect(fake.callsOf('latentInterpolate').map((r) => (r as { frames: number }).frames)).toEqual([64])
  })

  it('exports the strip as one PNG row and a looping back-and-forth animation', async () => {
    const { fake, store, exporter } = setup()
    store.start.pick({ kind: 'index', index: 0 })
    store.end.pick({ kind: 'index', index: 1 })
    store.frames = 5
    await store.run()
    await store.exportStrip()
    expect(fake.callsOf('exportPng')).toMatchObject([{ columns: 5 }])
    await store.exportAnimation('gif')
    store.pingPong = false
    store.delayMs = 3
    expect(store.delayValid).toBe(false)
    await store.exportAnimation('webp')
    store.delayMs = 10
    await store.exportAnimation('webp')
    const [gif, webp] = fake.callsOf('exportAnimation') as Array<{ frames: RawImage[]; format: string; delayMs: number; loop: number }>
    expect(gif.frames.map((f) => f.pixels[0])).toEqual([0, 1, 2, 3, 4, 3, 2, 1])
    expect(gif).toMatchObject({ format: 'gif', delayMs: 100, loop: 0 })
    expect(webp.frames).toHaveLength(5)
    expect(webp.delayMs).toBe(10)
    expect(exporter.lastSaved).toBe('/out/strip.webp')
  })

  it('shows an engine error as a notice, with its code', async () => {
    const fake = fakeStudio({
      latentInterpolate: () => {
        throw Object.assign(new Error("a code has 3 values but this model's latent space has 2 dimensions"), { code: 'invalid-request' })
      }
    })
    const notices = new Notices()
    const store = new InterpolationStore(fake.api, notices, new Exporter(fake.api, notices, false))
    store.start.pick({ kind: 'code', code: [1, 2, 3], image: image(0), label: 'from another model' })
    store.end.pick({ kind: 'index', index: 1 })
    await store.run()
    expect(notices.items).toMatchObject([
      { kind: 'error', title: 'Could not interpolate', code: 'invalid-request', message: expect.stringMatching(/latent space/) }
    ])
    expect(store.result).toBeNull()
    expect(store.busy).toBe(false)
  })
})
