import { describe, expect, it } from 'vitest'
import type { LatentMap } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { planeToLatent } from '../lib/plane'
import { deferred, fakeStudio, settle } from '../../../../test/support/fake-studio'
import { LatentStore } from './latent.svelte'
import { Notices } from './notices.svelte'

const map: LatentMap = {
  points: [
    [-1, -1],
    [1, 1],
    [0.5, -0.5]
  ],
  axes: [
    [1, 0, 0],
    [0, 1, 0]
  ],
  origin: [0, 0, 0]
}
const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })

async function storeWithMap(decode: (z: number[][]) => Promise<RawImage[]> | RawImage[]) {
  const fake = fakeStudio({
    latentMap: () => map,
    modelDecode: ({ z }) => decode(z),
    modelEncode: () => ({ mu: [[0.5, -0.5, 2]], logVar: [[0, 0, 0]] })
  })
  const store = new LatentStore(fake.api, new Notices())
  await store.loadMap()
  await settle()
  return { fake, store }
}

describe('LatentStore', () => {
  it('coalesces a drag: one decode in flight, then only the latest position', async () => {
    const gates: Array<ReturnType<typeof deferred<RawImage[]>>> = []
    const { fake, store } = await storeWithMap(() => {
      const gate = deferred<RawImage[]>()
      gates.push(gate)
      return gate.promise
    })
    const before = fake.callsOf('modelDecode').length // the map's initial decode
    for (let i = 0; i < 50; i++) store.moveTo(i / 50, -i / 50)
    expect(fake.callsOf('modelDecode')).toHaveLength(before)
    for (const gate of gates.splice(0)) gate.resolve([image(1)])
    await settle()
    const decodes = fake.callsOf('modelDecode') as Array<{ z: number[][] }>
    expect(decodes).toHaveLength(before + 1)
    expect(decodes.at(-1)!.z[0]).toEqual(planeToLatent(49 / 50, -49 / 50, map, [0, 0, 0]))
    gates[0].resolve([image(2)])
    await settle()
    expect(store.current?.image.pixels[0]).toBe(2)
    expect(store.position).toEqual([49 / 50, -49 / 50])
    expect(store.framesPerSec).toBeGreaterThan(0)
  })

  it('holds the other dimensions at a picked image’s μ', async () => {
    const { fake, store } = await storeWithMap((z) => z.map(() => image(9)))
    await store.useImageAsBase(2)
    await settle()
    expect(store.baseIndex).toBe(2)
    expect(store.position).toEqual([0.5, -0.5])
    store.moveTo(1, 1)
    await settle()
    const last = (fake.callsOf('modelDecode').at(-1) as { z: number[][] }).z[0]
    expect(last).toEqual([1, 1, 2])
    store.useZeroBase()
    await settle()
    expect((fake.callsOf('modelDecode').at(-1) as { z: number[][] }).z[0]).toEqual([1, 1, 0])
  })

  it('keeps decoded images and samples in the tray', async () => {
    const fake = fakeStudio({
      latentMap: () => map,
      modelDecode: ({ z }) => z.map(() => image(7)),
      modelSample: ({ count }) => ({
        z: Array.from({ length: count }, (_, i) => [i, 0, 0]),
        images: Array.from({ length: count }, (_, i) => image(i))
      })
    })
    const store = new LatentStore(fake.api, new Notices())
    await store.loadMap()
    await settle()
    store.keepCurrent()
    store.temperature = 0.7
    await store.sampleNew()
    store.keepSample(3)
    expect(fake.callsOf('modelSample')[0]).toMatchObject({ count: 16, temperature: 0.7, seed: store.sampleSeed })
    expect(store.tray.map((t) => t.image.pixels[0])).toEqual([7, 3])
    expect(store.tray[1].z).toEqual([3, 0, 0])
    store.removeFromTray(store.tray[0].id)
    expect(store.tray).toHaveLength(1)
  })

  it('restores a PNG’s code onto the canvas and into the tray, after mapping the plane', async () => {
    const planeDecode = deferred<RawImage[]>()
    const fake = fakeStudio({
      latentFromPng: () => ({ code: [0.5, -0.5, 2], seed: 4, checkpointStep: 120 }),
      latentMap: () => map,
      modelDecode: ({ z }) => (z[0][0] === 0.5 ? [image(200)] : planeDecode.promise)
    })
    const notices = new Notices()
    const store = new LatentStore(fake.api, notices)
    await expect(store.restoreFromPng(new Uint8Array([1, 2]))).resolves.toBe(true)
    planeDecode.resolve([image(1)])
    await settle()
    // The plane's own first decode (of its centre) came back after the restore, and was dropped.
    expect(store.current).toMatchObject({ z: [0.5, -0.5, 2], image: { pixels: new Uint8Array([200]) } })
    expect(store.position).toEqual([0.5, -0.5])
    expect(store.tray).toMatchObject([{ z: [0.5, -0.5, 2], label: 'restored · seed 4 · step 120' }])
    expect(notices.items).toEqual([])
  })

  it('refuses a code from a model with another latent size, saying so', async () => {
    const fake = fakeStudio({
      latentFromPng: () => ({ code: [1, 2] }),
      latentMap: () => map,
      modelDecode: ({ z }) => z.map(() => image(1))
    })
    const notices = new Notices()
    const store = new LatentStore(fake.api, notices)
    await expect(store.restoreFromPng(new Uint8Array([1]))).resolves.toBe(false)
    expect(notices.items).toMatchObject([{ kind: 'error', message: expect.stringMatching(/2 values .* 3/) }])
    expect(store.tray).toEqual([])
  })
})
