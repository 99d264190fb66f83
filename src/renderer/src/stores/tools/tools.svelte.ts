/**
 * The Tools view's state: which tool is shown, the picker that fills its inputs, and one store
 * per tool. Picks are routed to the shown tool, which reacts (most tools run as soon as their
 * inputs are complete).
 */
import type { StudioApi } from '../../../../shared/contract'
import type { Exporter } from '../exporter.svelte'
import type { Notices } from '../notices.svelte'
import type { PickSlot } from '../pick-slot.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from '../store-events'
import { Picker } from '../picker.svelte'
import { ArithmeticStore } from './arithmetic.svelte'
import { AttributeStore } from './attributes.svelte'
import { CompressionStore } from './compression.svelte'
import { DenoiseStore } from './denoise.svelte'
import { InterpolationStore } from './interpolation.svelte'
import { NearestStore } from './nearest.svelte'
import { TimelineStore } from './timeline.svelte'

export const toolNames = ['interpolate', 'arithmetic', 'attributes', 'denoise', 'compression', 'nearest', 'timeline'] as const
export type ToolName = (typeof toolNames)[number]

interface Tool {
  readonly slots?: readonly PickSlot[]
  picked?(slot: PickSlot): void
  reset(): void
}

export class ToolsStore implements StudioStore {
  active = $state<ToolName>('interpolate')
  readonly picker: Picker
  readonly interpolation: InterpolationStore
  readonly arithmetic: ArithmeticStore
  readonly attributes: AttributeStore
  readonly denoise: DenoiseStore
  readonly compression: CompressionStore
  readonly nearest: NearestStore
  readonly timeline: TimelineStore
  /** Recipes and attributes live in the project; they are read once per opened project. */
  private listsLoaded = false
  private readonly byName: Record<ToolName, Tool>
  /** The input each tool was filling when the user left it, to pick up where they were. */
  private readonly lastSlot = new Map<ToolName, PickSlot>()

  constructor(api: StudioApi, notices: Notices, exporter: Exporter) {
    this.picker = new Picker((slot) => this.tool(this.active).picked?.(slot))
    this.interpolation = new InterpolationStore(api, notices, exporter)
    this.arithmetic = new ArithmeticStore(api, notices)
    this.attributes = new AttributeStore(api, notices)
    this.denoise = new DenoiseStore(api, notices)
    this.compression = new CompressionStore(api, notices)
    this.nearest = new NearestStore(api, notices)
    this.timeline = new TimelineStore(api, notices, exporter)
    this.byName = {
      interpolate: this.interpolation,
      arithmetic: this.arithmetic,
      attributes: this.attributes,
      denoise: this.denoise,
      compression: this.compression,
      nearest: this.nearest,
      timeline: this.timeline
    }
  }

  tool(name: ToolName): Tool {
    return this.byName[name]
  }

  /**
   * Shows a tool and fills the input it was filling before, else its first empty input (or its
   * first, when all are filled).
   */
  select(name: ToolName): void {
    if (this.picker.active) this.lastSlot.set(this.active, this.picker.active)
    this.active = name
    const slots = this.tool(name).slots ?? []
    const next = this.lastSlot.get(name) ?? slots.find((s) => !s.filled) ?? slots[0]
    if (next) this.picker.activate(next, slots)
    else this.picker.deactivate()
  }

  /** Called when the Tools view opens: loads what the project keeps and gets the picker going. */
  async open(): Promise<void> {
    if (!this.picker.active) this.select(this.active)
    if (this.listsLoaded) return
    this.listsLoaded = true
    await Promise.all([this.arithmetic.loadRecipes(), this.attributes.loadAttributes()])
  }

  readonly events: StoreEvents = {}

  /**
   * Tool inputs are codes and indices of one project: a different project's images, recipes and
   * attributes are not this one's. A re-read of the same project keeps them.
   */
  reset(change: ProjectChange): void {
    if (change.kind !== 'switched') return
    for (const name of toolNames) this.tool(name).reset()
    this.picker.deactivate()
    this.lastSlot.clear()
    this.listsLoaded = false
  }
}
