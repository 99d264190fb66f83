/**
 * Routes picks from the Tools view's picker (dataset grid, tray, samples) to the slot the user
 * is filling. Filling a single slot hands over to the tool's next empty one, so "start, end" or
 * "A, B, C" is a run of clicks without going back to the slots.
 */
import type { Pick, PickSlot } from './pick-slot.svelte'

export type PickSource = 'dataset' | 'tray' | 'samples'

export class Picker {
  active = $state.raw<PickSlot | null>(null)
  source = $state<PickSource>('dataset')
  private group: readonly PickSlot[] = []

  constructor(private readonly onPicked: (slot: PickSlot) => void) {}

  /** Dataset images are picked by index; tray and samples hand over codes. */
  static kindOf(source: PickSource): Pick['kind'] {
    return source === 'dataset' ? 'index' : 'code'
  }

  canUse(source: PickSource): boolean {
    return this.active?.takes(Picker.kindOf(source)) ?? false
  }

  /** Makes `slot` the one being filled; `group` is its tool's slots, in order. */
  activate(slot: PickSlot, group: readonly PickSlot[]): void {
    this.active = slot
    this.group = group
    if (!this.canUse(this.source)) this.source = slot.takes('index') ? 'dataset' : 'tray'
  }

  deactivate(): void {
    this.active = null
    this.group = []
  }

  pick(p: Pick): void {
    const slot = this.active
    if (!slot || !slot.pick(p)) return
    if (!slot.multiple) {
      const at = this.group.indexOf(slot)
      const rest = [...this.group.slice(at + 1), ...this.group.slice(0, at)]
      const next = rest.find((s) => !s.multiple && !s.filled && s.takes(p.kind))
      if (next) this.active = next
    }
    this.onPicked(slot)
  }
}
