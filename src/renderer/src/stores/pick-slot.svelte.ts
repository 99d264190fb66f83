/**
 * One input of a latent tool ("A", "with glasses", "image to denoise"), filled by picking images
 * in the Tools view's picker: dataset images by index (the engine encodes them with the current
 * model) or generated images by their code (tray, samples, the latent canvas).
 */
import type { LatentRef } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'

export type Pick = { kind: 'index'; index: number } | { kind: 'code'; code: number[]; image: RawImage; label: string }

/**
 * What a slot takes. Tools that work on dataset pixels or store indices in the project (denoise,
 * compression, recipes, attributes) take images; the nearest-image check takes generated codes.
 */
export type SlotAccepts = 'index' | 'code' | 'any'

export class PickSlot {
  items = $state.raw<Pick[]>([])

  constructor(
    /** Stable id for test hooks. */
    readonly id: string,
    readonly label: string,
    readonly accepts: SlotAccepts,
    /** A group slot holds several images and stands for their mean code. */
    readonly multiple: boolean
  ) {}

  filled = $derived(this.items.length > 0)
  indices = $derived(this.items.flatMap((p) => (p.kind === 'index' ? [p.index] : [])))
  /** The first pick as the engine's reference to a point in latent space. */
  ref = $derived.by((): LatentRef | null => {
    const first = this.items[0]
    if (!first) return null
    return first.kind === 'index' ? { index: first.index } : { code: first.code }
  })

  takes(kind: Pick['kind']): boolean {
    return this.accepts === 'any' || this.accepts === kind
  }

  has(index: number): boolean {
    return this.items.some((p) => p.kind === 'index' && p.index === index)
  }

  /** A single slot swaps its pick; a group toggles a dataset image in or out. False if refused. */
  pick(p: Pick): boolean {
    if (!this.takes(p.kind)) return false
    if (!this.multiple) this.items = [p]
    else if (p.kind === 'index' && this.has(p.index)) this.items = this.items.filter((q) => !(q.kind === 'index' && q.index === p.index))
    else this.items = [...this.items, p]
    return true
  }

  remove(position: number): void {
    this.items = this.items.filter((_, i) => i !== position)
  }

  setIndices(indices: readonly number[]): void {
    const wanted = this.multiple ? indices : indices.slice(0, 1)
    this.items = wanted.map((index) => ({ kind: 'index', index }))
  }

  clear(): void {
    this.items = []
  }
}
