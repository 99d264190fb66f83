import { describe, expect, it } from 'vitest'
import type { DenoiseResult } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { deferred, fakeStudio, settle } from '../../../../../test/support/fake-studio'
import { Notices } from '../notices.svelte'
import { DenoiseStore } from './denoise.svelte'

const image: RawImage = { width: 1, height: 1, channels: 1, pixels: new Uint8Array([1]) }
const result = (psnr: number): DenoiseResult => ({
  clean: image,
  noisy: image,
  denoised: image,
  psnrNoisy: 10,
  psnrDenoised: psnr,
  ssimNoisy: 0.2,
  ssimDenoised: 0.6
})

describe('DenoiseStore', () => {
  it('sends the chosen corruption as a plain request, latest settings only', async () => {
    const gates: Array<ReturnType<typeof deferred<DenoiseResult>>> = []
    const fake = fakeStudio({
      toolsDenoise: () => {
        const gate = deferred<DenoiseResult>()
        gates.push(gate)
        return gate.promise
      }
    })
    const store = new DenoiseStore(fake.api, new Notices())
    store.run()
    expect(fake.callsOf('toolsDenoise')).toEqual([]) // nothing picked yet
    store.image.pick({ kind: 'index', index: 3 })
    store.picked()
    for (const sigma of [0.3, 0.4, 0.5]) {
      store.sigma = sigma
      store.run()
    }
    store.kind = 'mask'
    store.mask.width = 0.3
    store.seed = 3
    store.run()
    gates.shift()!.resolve(result(12))
    await settle()
    gates.shift()!.resolve(result(20))
    await settle()
    const calls = fake.callsOf('toolsDenoise')
    expect(calls).toEqual([
      { index: 3, noise: { kind: 'gaussian', sigma: 0.2 }, seed: 1 },
      { index: 3, noise: { kind: 'mask', x: 0.25, y: 0.45, width: 0.3, height: 0.25 }, seed: 3 }
    ])
    // What crosses IPC must be structured-clonable: no state proxies.
    expect(Object.getPrototypeOf((calls[1] as { noise: object }).noise)).toBe(Object.prototype)
    expect(structuredClone(calls[1])).toEqual(calls[1])
    expect(store.result?.psnrDenoised).toBe(20)
    // A seed the engine would refuse is not sent; its field says why.
    store.seed = 2.6
    store.run()
    await settle()
    expect(fake.callsOf('toolsDenoise')).toHaveLength(2)
  })

  it('salt and pepper sends its amount', async () => {
    const fake = fakeStudio({ toolsDenoise: () => result(15) })
    const store = new DenoiseStore(fake.api, new Notices())
    store.image.pick({ kind: 'index', index: 0 })
    store.kind = 'salt-pepper'
    store.amount = 0.05
    store.run()
    await settle()
    expect(fake.callsOf('toolsDenoise')).toEqual([{ index: 0, noise: { kind: 'salt-pepper', amount: 0.05 }, seed: 1 }])
  })
})
