/**
 * The engine thread's copies into and out of the run's shared memory: the published weights
 * into a model on this thread, the published weights and Adam state out as a checkpoint, a
 * checkpoint in as the next version, and the last step's summed gradient. Only ever the
 * published parity is read and only the other one written, so a step in flight never tears them.
 */
import * as tf from '../../tf'
import type { VaeModel } from '../../model/vae-model'
import type { Checkpoint, NamedArray } from '../../project/checkpoint-manifest'
import type { DiscriminatorState } from '../step-runner'
import { adamScalarsAfter, initialAdamScalars, type AdamConfig } from './adam'
import { Ctl, type AdamGroup, type ParamEntry, type SharedState } from './shared-state'

export class SharedWeights {
  private readonly synced = new WeakMap<VaeModel, { version: number; decoderOnly: boolean }>()

  constructor(
    private readonly state: SharedState,
    private readonly adam: AdamConfig,
    private readonly discriminatorAdam: AdamConfig
  ) {}

  /** Writes the run's starting weights (and Adam state) as version 0, before any worker starts. */
  initialize(tensors: NamedArray[], optimizer?: Checkpoint['optimizer'], discriminator?: DiscriminatorState): void {
    this.write(0, tensors, optimizer, discriminator)
    Atomics.store(this.state.control, Ctl.version, 0)
  }

  private get vaeEntries(): ParamEntry[] {
    const { entries, discriminatorFrom } = this.state.layout
    return entries.filter((e) => e.offset < discriminatorFrom)
  }

  private get discriminatorEntries(): ParamEntry[] {
    const { entries, discriminatorFrom } = this.state.layout
    return entries.filter((e) => e.offset >= discriminatorFrom)
  }

  /**
   * Loads the published weights into a model on this thread when they changed since its last
   * sync. `decoderOnly` copies just the decoder. Returns whether it copied.
   */
  syncModel(model: VaeModel, options: { decoderOnly?: boolean } = {}): boolean {
    const decoderOnly = options.decoderOnly ?? false
    const version = this.state.version
    const last = this.synced.get(model)
    if (last && last.version === version && (last.decoderOnly === false || decoderOnly)) return false
    const block = this.state.weights(version & 1)
    const encoderCount = model.encoder.weights.length
    const targets = [...model.encoder.weights, ...model.decoder.weights]
    if (targets.length !== this.vaeEntries.length) throw new Error('this model is not the one being trained')
    // wasm copies a new tensor's values into its heap; the cpu backend would alias shared memory.
    const copy = tf.getBackend() !== 'wasm'
    targets.forEach((w, i) => {
      if (decoderOnly && i < encoderCount) return
      const view = this.state.entryView(block, i)
      tf.tidy(() => {
        w.write(tf.tensor(copy ? view.slice() : view, w.shape as number[]))
      })
    })
    this.synced.set(model, { version, decoderOnly })
    return true
  }

  /**
   * The published weights and Adam state in the checkpoint's shape (the same tensors, order and
   * `iter` entry that `tf.train.adam().getWeights()` gives), copied out of shared memory.
   */
  snapshot(): { tensors: NamedArray[]; optimizer: Checkpoint['optimizer']; discriminator?: DiscriminatorState } {
    const parity = this.state.version & 1
    const copy = (entries: ParamEntry[], block: Float32Array, suffix: string): NamedArray[] =>
      entries.map((e) => ({ name: e.name + suffix, shape: [...e.shape], data: block.slice(e.offset, e.offset + e.size) }))
    const all = (entries: ParamEntry[]): NamedArray[] => [
      ...copy(entries, this.state.weights(parity), ''),
      ...copy(entries, this.state.firstMoment(parity), '/m'),
      ...copy(entries, this.state.secondMoment(parity), '/v')
    ]
    const { iterations } = this.state.adamScalars(parity)
    const vae = this.vaeEntries
    const critic = this.discriminatorEntries
    const arrays = all(vae)
    const [tensors, moments] = [arrays.slice(0, vae.length), arrays.slice(vae.length)]
    return {
      tensors,
      optimizer: { name: 'adam', iterations, tensors: [{ name: 'iter', shape: [], data: Float32Array.of(iterations) }, ...moments] },
      ...(critic.length > 0 ? { discriminator: { tensors: all(critic), steps: this.state.adamScalars(parity, 1).iterations } } : {})
    }
  }

  /** The last step's batch gradient: the shard slots summed in shard order, flat in the layout's order. */
  lastGradient(): Float32Array {
    const { total } = this.state.layout
    const sum = this.state.gradientSlot(0).slice(0, total)
    for (let k = 1; k < this.state.shards; k++) {
      const slot = this.state.gradientSlot(k)
      for (let i = 0; i < total; i++) sum[i] += slot[i]
    }
    return sum
  }

  /** Writes a checkpoint's weights (and Adam state) into the unpublished parity and publishes it. */
  publish(tensors: NamedArray[], optimizer?: Checkpoint['optimizer'], discriminator?: DiscriminatorState): void {
    const next = (this.state.version + 1) & 1
    this.write(next, tensors, optimizer, discriminator)
    Atomics.store(this.state.control, Ctl.version, this.state.version + 1)
  }

  /**
   * Weights, m, v and Adam's scalars of one parity: the VAE's (a fresh Adam when `optimizer` has
   * no slots), then the discriminator's when the layout has one (fresh when not given, or given
   * without moments).
   */
  private write(parity: number, tensors: NamedArray[], optimizer?: Checkpoint['optimizer'], discriminator?: DiscriminatorState): void {
    const slots = (optimizer?.tensors ?? []).filter((t) => t.name !== 'iter')
    this.writeGroup(parity, 0, this.vaeEntries, tensors, slots, optimizer?.iterations ?? 0, this.adam, 'the checkpoint')
    const critic = this.discriminatorEntries
    if (critic.length === 0) return
    if (!discriminator) throw new Error("this run sharpens: it needs the discriminator's weights")
    const [weights, moments] = [discriminator.tensors.slice(0, critic.length), discriminator.tensors.slice(critic.length)]
    this.writeGroup(parity, 1, critic, weights, moments, discriminator.steps, this.discriminatorAdam, 'the discriminator')
  }

  private writeGroup(
    parity: number,
    group: AdamGroup,
    entries: ParamEntry[],
    tensors: NamedArray[],
    slots: NamedArray[],
    iterations: number,
    adam: AdamConfig,
    what: string
  ): void {
    const check = (arrays: NamedArray[], which: string) => {
      if (arrays.length !== entries.length) throw new Error(`${which} holds ${arrays.length} tensors but this model has ${entries.length}`)
      arrays.forEach((a, i) => {
        if (a.shape.join('x') !== entries[i].shape.join('x'))
          throw new Error(`${which} tensor ${a.name} has shape [${a.shape}] but the model expects [${entries[i].shape}]`)
      })
    }
    check(tensors, what)
    const weights = this.state.weights(parity)
    tensors.forEach((t, i) => weights.set(t.data, entries[i].offset))
    const m = this.state.firstMoment(parity)
    const v = this.state.secondMoment(parity)
    if (slots.length === 0) {
      for (const e of entries) {
        m.fill(0, e.offset, e.offset + e.size)
        v.fill(0, e.offset, e.offset + e.size)
      }
      this.state.setAdamScalars(parity, { ...initialAdamScalars(adam), iterations }, group)
      return
    }
    check(slots.slice(0, entries.length), `${what}'s optimizer state`)
    check(slots.slice(entries.length), `${what}'s optimizer state`)
    slots.slice(0, entries.length).forEach((t, i) => m.set(t.data, entries[i].offset))
    slots.slice(entries.length).forEach((t, i) => v.set(t.data, entries[i].offset))
    // The powers as the steps accumulated them, not tfjs's pow(β, n + 1): see adamScalarsAfter.
    this.state.setAdamScalars(parity, adamScalarsAfter(iterations, adam), group)
  }
}
