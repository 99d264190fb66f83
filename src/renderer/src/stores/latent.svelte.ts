/**
 * The latent canvas: a 2-D plane through latent space, the dataset's codes drawn on it, and a
 * continuous decode of whatever point the user drags over. Decodes are coalesced (one in flight,
 * always the latest position), so the image keeps up with the pointer instead of lagging behind
 * a queue of stale requests.
 */
import type { LatentMap, Sample, StudioApi } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { LatestOnly } from '../lib/latest-only'
import { planeBounds, planeToLatent, latentToPlane } from '../lib/plane'
import type { Notices } from './notices.svelte'
import type { ProjectChange, StoreEvents, StudioStore } from './store-events'

export interface TrayItem {
  id: number
  image: RawImage
  z: number[]
  label: string
}

export interface Decoded {
  image: RawImage
  z: number[]
}

/** Window over which decoded frames per second are counted. */
const fpsWindowMs = 1000

export class LatentStore implements StudioStore {
  axesMode = $state<'pca' | 'dims'>('pca')
  dims = $state<[number, number]>([0, 1])
  map = $state.raw<LatentMap | null>(null)
  loadingMap = $state(false)
  /** The base code supplies every dimension outside the plane: the prior's mean or an image's μ. */
  baseIndex = $state<number | null>(null)
  baseMu = $state.raw<number[] | null>(null)
  position = $state.raw<[number, number] | null>(null)
  current = $state.raw<Decoded | null>(null)
  framesPerSec = $state(0)
  temperature = $state(1)
  sampleCount = $state(16)
  sampleSeed = $state(1)
  samples = $state.raw<Sample | null>(null)
  sampling = $state(false)
  tray = $state.raw<TrayItem[]>([])
  private nextTrayId = 1
  private frameTimes: number[] = []
  /** Bumped when an image is shown directly, so a plane decode still in flight cannot replace it. */
  private shown = 0
  private readonly decoder: LatestOnly<{ z: number[]; shown: number }, RawImage[]>

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {
    this.decoder = new LatestOnly(
      ({ z }) => this.api.modelDecode({ z: [z] }),
      (images, { z, shown }) => {
        if (shown === this.shown) this.decoded(images[0], z)
      },
      (err) => this.notices.error('Could not decode', err)
    )
  }

  bounds = $derived(planeBounds(this.map?.points ?? []))
  latentDim = $derived(this.map?.origin.length ?? 0)

  readonly events: StoreEvents = {}

  /** The plane and its images belong to one model; kept images survive only a re-read of the same project. */
  reset(change: ProjectChange): void {
    if (change.kind === 'updated') return
    if (change.kind === 'switched') this.clearTray()
    this.map = null
    this.position = null
    this.current = null
    this.samples = null
    this.baseIndex = null
    this.baseMu = null
  }

  async loadMap(): Promise<void> {
    this.loadingMap = true
    try {
      const dims = $state.snapshot(this.dims)
      const map = await this.notices.guard('Could not map the dataset', () =>
        this.api.latentMap(this.axesMode === 'dims' ? { axes: 'dims', dims } : { axes: 'pca' })
      )
      if (!map) return
      this.map = map
      // A new plane: start from the base's own position on it (the centre for the zero base).
      const [u, v] = latentToPlane(this.base(), map)
      this.moveTo(u, v)
    } finally {
      this.loadingMap = false
    }
  }

  base(): number[] {
    return this.baseMu ?? new Array<number>(this.latentDim).fill(0)
  }

  /** Decodes the plane point (u, v); called on every pointer move while dragging. */
  moveTo(u: number, v: number): void {
    if (!this.map) return
    this.position = [u, v]
    this.decoder.push({ z: planeToLatent(u, v, this.map, this.base()), shown: this.shown })
  }

  /** Uses an image's μ as the base, and jumps to that image's point on the plane. */
  async useImageAsBase(index: number): Promise<void> {
    const encoding = await this.notices.guard('Could not encode the image', () => this.api.modelEncode({ indices: [index] }))
    if (!encoding || !this.map) return
    this.baseIndex = index
    this.baseMu = encoding.mu[0]
    const [u, v] = latentToPlane(encoding.mu[0], this.map)
    this.moveTo(u, v)
  }

  useZeroBase(): void {
    this.baseIndex = null
    this.baseMu = null
    if (this.position) this.moveTo(this.position[0], this.position[1])
  }

  async sample(): Promise<void> {
    this.sampling = true
    try {
      const req = { count: this.sampleCount, temperature: this.temperature, seed: this.sampleSeed }
      const sample = await this.notices.guard('Could not sample', () => this.api.modelSample(req))
      if (sample) this.samples = sample
    } finally {
      this.sampling = false
    }
  }

  /** A fresh seed per click gives new faces; the seed stays visible so a grid can be reproduced. */
  async sampleNew(): Promise<void> {
    this.sampleSeed = Math.floor(Math.random() * 2 ** 31)
    await this.sample()
  }

  keepCurrent(): void {
    if (!this.current) return
    const [u, v] = this.position ?? [0, 0]
    this.keep(this.current.image, this.current.z, `(${u.toFixed(2)}, ${v.toFixed(2)})`)
  }

  keepSample(index: number): void {
    const s = this.samples
    if (!s || !s.images[index]) return
    this.keep(s.images[index], s.z[index], `sample ${index + 1} · seed ${this.sampleSeed}`)
  }

  /** Adds any decoded code to the tray (results of the latent tools, restored PNGs). */
  keep(image: RawImage, z: number[], label: string): void {
    this.tray = [...this.tray, { id: this.nextTrayId++, image, z, label }]
  }

  /**
   * Puts the code a studio-exported PNG carries back on the canvas (and in the tray). The plane
   * is mapped first, so the restored point shows where it lies among the dataset's codes.
   */
  async restoreFromPng(png: Uint8Array): Promise<boolean> {
    const found = await this.notices.guard('Could not read the PNG', () => this.api.latentFromPng({ png }))
    if (!found) return false
    if (!this.map) await this.loadMap()
    if (!this.map) return false
    if (found.code.length !== this.latentDim) {
      const reason = `its code has ${found.code.length} values but this model's latent space has ${this.latentDim}: it was exported from another model`
      this.notices.error('Could not restore the PNG', new Error(reason))
      return false
    }
    const images = await this.notices.guard('Could not decode the restored code', () => this.api.modelDecode({ z: [found.code] }))
    if (!images?.[0]) return false
    const from = [
      found.seed !== undefined ? `seed ${found.seed}` : '',
      found.checkpointStep !== undefined ? `step ${found.checkpointStep}` : ''
    ].filter(Boolean)
    this.show(images[0], found.code)
    this.keep(images[0], found.code, from.length ? `restored · ${from.join(' · ')}` : 'restored')
    return true
  }

  /** Shows a kept or sampled code on the canvas again (decoded image and its plane position). */
  show(image: RawImage, z: number[]): void {
    this.shown++
    this.current = { image, z }
    if (this.map) this.position = latentToPlane(z, this.map)
  }

  removeFromTray(id: number): void {
    this.tray = this.tray.filter((t) => t.id !== id)
  }

  clearTray(): void {
    this.tray = []
  }

  private decoded(image: RawImage | undefined, z: number[]): void {
    if (!image) return
    this.current = { image, z }
    const now = performance.now()
    this.frameTimes.push(now)
    while (this.frameTimes.length && this.frameTimes[0] < now - fpsWindowMs) this.frameTimes.shift()
    this.framesPerSec = this.frameTimes.length
  }
}
