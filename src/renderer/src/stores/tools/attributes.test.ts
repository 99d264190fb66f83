import { describe, expect, it } from 'vitest'
import type { LatentAttribute, Sample } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { deferred, fakeStudio, settle } from '../../../../../test/support/fake-studio'
import { Notices } from '../notices.svelte'
import { AttributeStore, stripAmounts } from './attributes.svelte'

const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })
const applied = (amounts: number[]): Sample => ({
  z: amounts.map((a) => [a, 0]),
  images: amounts.map((a) => image(Math.round(100 + 10 * a)))
})

function setup(apply: (amounts: number[]) => Promise<Sample> | Sample = applied) {
  let attributes: LatentAttribute[] = []
  const fake = fakeStudio({
    attributeList: () => attributes,
    attributeCreate: ({ name, withIndices, withoutIndices }) =>
      (attributes = [
        ...attributes.filter((a) => a.name !== name),
        { name, withIndices, withoutIndices, vector: [1, 0], createdAt: 'now' }
      ]),
    attributeDelete: ({ name }) => (attributes = attributes.filter((a) => a.name !== name)),
    attributeApply: ({ amounts }) => apply(amounts)
  })
  const notices = new Notices()
  return { fake, store: new AttributeStore(fake.api, notices), notices }
}

describe('AttributeStore', () => {
  it('creates a vector from two groups and selects it', async () => {
    const { fake, store } = setup()
    store.with.setIndices([0, 2, 4])
    store.without.setIndices([1, 3])
    expect(store.canCreate).toBe(false)
    store.name = ' glasses '
    await store.create()
    expect(fake.callsOf('attributeCreate')).toEqual([{ name: 'glasses', withIndices: [0, 2, 4], withoutIndices: [1, 3] }])
    expect(store.selected).toBe('glasses')
    expect(store.attributes.map((a) => a.name)).toEqual(['glasses'])
  })

  it('follows the slider with one request in flight and shows a strip of amounts', async () => {
    const gates: Array<ReturnType<typeof deferred<Sample>>> = []
    const { fake, store } = setup((amounts) => {
      if (amounts.length > 1) return applied(amounts)
      const gate = deferred<Sample>()
      gates.push(gate)
      return gate.promise.then(() => applied(amounts))
    })
    store.with.setIndices([0])
    store.without.setIndices([1])
    store.name = 'glasses'
    await store.create()
    store.target.pick({ kind: 'index', index: 9 })
    store.picked(store.target)
    await settle()
    for (let i = 1; i <= 30; i++) store.setAmount(i / 10)
    gates.shift()!.resolve(applied([0]))
    await settle()
    gates.shift()!.resolve(applied([3]))
    await settle()
    const single = (fake.callsOf('attributeApply') as Array<{ amounts: number[]; ref: unknown; name: string }>).filter(
      (r) => r.amounts.length === 1
    )
    expect(single.map((r) => r.amounts[0])).toEqual([0, 3])
    expect(single[1]).toMatchObject({ ref: { index: 9 }, name: 'glasses' })
    expect(store.live).toMatchObject({ amount: 3, z: [3, 0] })
    expect(store.strip?.z.map((z) => z[0])).toEqual([...stripAmounts])
  })

  it('drops a strip that arrives after another image was picked', async () => {
    const late = deferred<Sample>()
    const { store } = setup((amounts) => (amounts.length > 1 && late ? late.promise : applied(amounts)))
    await store.loadAttributes()
    store.with.setIndices([0])
    store.without.setIndices([1])
    store.name = 'smile'
    await store.create()
    store.target.pick({ kind: 'index', index: 1 })
    store.refresh()
    store.target.pick({ kind: 'index', index: 2 })
    late.resolve(applied([...stripAmounts]))
    await settle()
    expect(store.strip).toBeNull()
  })

  it('deleting the chosen vector falls back to another one', async () => {
    const { store } = setup()
    for (const name of ['a', 'b']) {
      store.with.setIndices([0])
      store.without.setIndices([1])
      store.name = name
      await store.create()
    }
    store.select('a')
    await store.remove('a')
    expect(store.selected).toBe('b')
    await store.remove('b')
    expect(store.selected).toBeNull()
    expect(store.canApply).toBe(false)
  })
})
