import { describe, expect, it } from 'vitest'
import type { RawImage } from '../../../shared/images'
import { PickSlot } from './pick-slot.svelte'
import { Picker } from './picker.svelte'

const image: RawImage = { width: 1, height: 1, channels: 1, pixels: new Uint8Array([1]) }
const code = (v: number) => ({ kind: 'code' as const, code: [v, v], image, label: `code ${v}` })

describe('PickSlot', () => {
  it('swaps the pick of a single slot and toggles images in a group', () => {
    const single = new PickSlot('a', 'A', 'any', false)
    single.pick({ kind: 'index', index: 3 })
    single.pick(code(1))
    expect(single.ref).toEqual({ code: [1, 1] })
    const group = new PickSlot('g', 'With', 'index', true)
    group.pick({ kind: 'index', index: 1 })
    group.pick({ kind: 'index', index: 4 })
    group.pick({ kind: 'index', index: 1 })
    expect(group.indices).toEqual([4])
    expect(group.pick(code(2))).toBe(false)
    expect(group.indices).toEqual([4])
  })
})

describe('Picker', () => {
  it('fills a tool’s single slots in turn and tells the tool what changed', () => {
    const changed: string[] = []
    const picker = new Picker((slot) => changed.push(slot.id))
    const a = new PickSlot('a', 'A', 'any', false)
    const b = new PickSlot('b', 'B', 'any', false)
    picker.activate(a, [a, b])
    picker.pick({ kind: 'index', index: 0 })
    expect(picker.active).toBe(b)
    picker.pick(code(5))
    expect(picker.active).toBe(b) // nothing left empty: stays, so a new pick replaces B
    expect(changed).toEqual(['a', 'b'])
    expect([a.ref, b.ref]).toEqual([{ index: 0 }, { code: [5, 5] }])
  })

  it('switches to a source the slot can take', () => {
    const picker = new Picker(() => {})
    picker.source = 'tray'
    const images = new PickSlot('i', 'Image', 'index', false)
    picker.activate(images, [images])
    expect(picker.source).toBe('dataset')
    expect(picker.canUse('samples')).toBe(false)
    const generated = new PickSlot('n', 'Generated', 'code', false)
    picker.activate(generated, [generated])
    expect(picker.source).toBe('tray')
    picker.pick({ kind: 'index', index: 2 })
    expect(generated.filled).toBe(false)
  })
})
