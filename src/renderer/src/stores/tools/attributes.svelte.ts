/**
 * Attribute vectors: the mean code of images "with" something minus the mean of images
 * "without" it, saved in the project under a name. Any multiple of it can be added to any
 * image; the slider's result follows the slider (one request in flight, always the latest
 * amount), and a strip shows the image at several amounts side by side.
 */
import type { LatentAttribute, LatentRef, Sample, StudioApi } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { LatestOnly } from '../../lib/latest-only'
import type { Notices } from '../notices.svelte'
import { PickSlot } from '../pick-slot.svelte'

export const amountRange = { min: -3, max: 3, step: 0.1 } as const
export const stripAmounts = [-3, -2, -1, 0, 1, 2, 3] as const

interface Application {
  ref: LatentRef
  name: string
  amount: number
}

export class AttributeStore {
  readonly with = new PickSlot('attr-with', 'With', 'index', true)
  readonly without = new PickSlot('attr-without', 'Without', 'index', true)
  readonly target = new PickSlot('attr-target', 'Image to change', 'any', false)
  readonly slots = [this.with, this.without, this.target]
  name = $state('')
  attributes = $state.raw<LatentAttribute[]>([])
  /** The attribute the slider applies. */
  selected = $state<string | null>(null)
  amount = $state(0)
  live = $state.raw<{ image: RawImage; z: number[]; amount: number } | null>(null)
  strip = $state.raw<Sample | null>(null)
  busy = $state(false)
  private readonly applier: LatestOnly<Application, Sample>

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {
    this.applier = new LatestOnly(
      ({ ref, name, amount }) => this.api.attributeApply({ ref, name, amounts: [amount] }),
      (sample, { amount }) => {
        if (sample.images[0]) this.live = { image: sample.images[0], z: sample.z[0], amount }
      },
      (err) => this.notices.error('Could not apply the attribute', err)
    )
  }

  canCreate = $derived(this.name.trim().length > 0 && this.with.filled && this.without.filled)
  canApply = $derived(this.selected !== null && this.target.ref !== null)

  async loadAttributes(): Promise<void> {
    const attributes = await this.notices.guard('Could not list the attribute vectors', () => this.api.attributeList())
    if (!attributes) return
    this.attributes = attributes
    if (this.selected === null || !attributes.some((a) => a.name === this.selected)) this.selected = attributes.at(-1)?.name ?? null
  }

  async create(): Promise<void> {
    if (!this.canCreate) return
    const name = this.name.trim()
    const req = { name, withIndices: this.with.indices, withoutIndices: this.without.indices }
    this.busy = true
    try {
      const attributes = await this.notices.guard('Could not create the attribute vector', () => this.api.attributeCreate(req))
      if (!attributes) return
      this.attributes = attributes
      this.notices.info('Created the attribute vector', name)
      this.select(name)
    } finally {
      this.busy = false
    }
  }

  /** A vector from face finding's labels in one step: smiling, older or female. */
  async createFromLabel(label: 'happy' | 'age' | 'gender'): Promise<void> {
    this.busy = true
    try {
      const attributes = await this.notices.guard('Could not make the vector from the labels', () => this.api.attributeFromLabel({ label }))
      if (!attributes) return
      this.attributes = attributes
      // The vector made is saved last in the list.
      const made = attributes.at(-1)
      if (made) {
        this.notices.info(
          'Created the attribute vector',
          `${made.name}: ${made.withIndices.length} faces with, ${made.withoutIndices.length} without`
        )
        this.select(made.name)
      }
    } finally {
      this.busy = false
    }
  }

  async remove(name: string): Promise<void> {
    const attributes = await this.notices.guard('Could not delete the attribute vector', () => this.api.attributeDelete({ name }))
    if (!attributes) return
    this.attributes = attributes
    if (this.selected === name) {
      this.selected = attributes.at(-1)?.name ?? null
      this.live = null
      this.strip = null
      this.refresh()
    }
  }

  select(name: string): void {
    this.selected = name
    this.refresh()
  }

  /** Called on every slider move. */
  setAmount(amount: number): void {
    this.amount = amount
    this.applyLive()
  }

  picked(slot: PickSlot): void {
    if (slot === this.target) this.refresh()
  }

  /** The live image and the strip, for the current attribute and image. */
  refresh(): void {
    this.applyLive()
    void this.loadStrip()
  }

  reset(): void {
    this.slots.forEach((s) => s.clear())
    this.attributes = []
    this.selected = null
    this.name = ''
    this.amount = 0
    this.live = null
    this.strip = null
  }

  private applyLive(): void {
    const ref = this.target.ref
    if (ref && this.selected) this.applier.push({ ref, name: this.selected, amount: this.amount })
  }

  private async loadStrip(): Promise<void> {
    const ref = this.target.ref
    const name = this.selected
    const picked = this.target.items
    if (!ref || !name) return
    const strip = await this.notices.guard('Could not apply the attribute', () =>
      this.api.attributeApply({ ref, name, amounts: [...stripAmounts] })
    )
    // A newer image or attribute may have been picked meanwhile: keep the strip that matches it.
    if (strip && this.target.items === picked && this.selected === name) this.strip = strip
  }
}
