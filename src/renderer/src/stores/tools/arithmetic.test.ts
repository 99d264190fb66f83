import { describe, expect, it } from 'vitest'
import type { LatentRecipe } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { fakeStudio, settle } from '../../../../../test/support/fake-studio'
import { Notices } from '../notices.svelte'
import { Picker } from '../picker.svelte'
import { ArithmeticStore } from './arithmetic.svelte'

const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })

/** An engine keeping recipes the way the project does: saving a name again replaces it. */
function setup() {
  let recipes: LatentRecipe[] = []
  const fake = fakeStudio({
    latentArithmetic: ({ a, b, c }) => ({ z: [a.length, b.length, c.length], image: image(a[0] + c[0]) }),
    recipeList: () => recipes,
    recipeSave: (req) => (recipes = [...recipes.filter((r) => r.name !== req.name), { ...req, createdAt: 'now' }]),
    recipeDelete: ({ name }) => (recipes = recipes.filter((r) => r.name !== name))
  })
  const notices = new Notices()
  const store = new ArithmeticStore(fake.api, notices)
  return { fake, store, notices }
}

describe('ArithmeticStore', () => {
  it('computes A − B + C over groups once every term has images', async () => {
    const { fake, store } = setup()
    const picker = new Picker(() => store.picked())
    picker.activate(store.a, store.slots)
    picker.pick({ kind: 'index', index: 1 })
    picker.pick({ kind: 'index', index: 2 })
    // Groups do not hand over: the user moves on to B and C.
    expect(picker.active).toBe(store.a)
    picker.activate(store.b, store.slots)
    picker.pick({ kind: 'index', index: 3 })
    expect(fake.callsOf('latentArithmetic')).toEqual([])
    picker.activate(store.c, store.slots)
    picker.pick({ kind: 'index', index: 5 })
    await settle()
    expect(fake.callsOf('latentArithmetic')).toEqual([{ a: [1, 2], b: [3], c: [5] }])
    expect(store.result).toMatchObject({ z: [2, 1, 1], label: 'A − B + C' })
    // Tray codes cannot be recipe terms: the engine re-encodes dataset images.
    picker.pick({ kind: 'code', code: [0, 0], image: image(0), label: 'kept' })
    expect(store.c.indices).toEqual([5])
  })

  it('saves, lists, replays, edits and deletes recipes', async () => {
    const { fake, store, notices } = setup()
    await store.loadRecipes()
    expect(store.recipes).toEqual([])
    store.a.setIndices([1])
    store.b.setIndices([2])
    store.c.setIndices([3])
    store.recipeName = '  glasses swap '
    await store.save()
    expect(fake.callsOf('recipeSave')).toEqual([{ name: 'glasses swap', a: [1], b: [2], c: [3] }])
    expect(notices.items.at(-1)).toMatchObject({ kind: 'info', title: 'Saved the recipe' })

    store.slots.forEach((s) => s.clear())
    store.recipeName = ''
    await store.replay(store.recipes[0])
    expect(store.result?.label).toBe('glasses swap')
    expect(fake.callsOf('latentArithmetic').at(-1)).toEqual({ a: [1], b: [2], c: [3] })

    await store.edit(store.recipes[0])
    expect([store.a.indices, store.b.indices, store.c.indices, store.recipeName]).toEqual([[1], [2], [3], 'glasses swap'])
    store.c.pick({ kind: 'index', index: 7 })
    await store.save()
    expect(store.recipes).toMatchObject([{ name: 'glasses swap', c: [3, 7] }])

    await store.remove('glasses swap')
    expect(store.recipes).toEqual([])
  })

  it('does not save without a name or an incomplete formula', async () => {
    const { fake, store } = setup()
    store.a.setIndices([1])
    store.recipeName = 'x'
    await store.save()
    store.b.setIndices([2])
    store.c.setIndices([3])
    store.recipeName = '   '
    await store.save()
    expect(fake.callsOf('recipeSave')).toEqual([])
  })
})
