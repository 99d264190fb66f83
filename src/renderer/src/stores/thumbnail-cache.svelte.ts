/**
 * Thumbnails fetched by page as the grid scrolls. Only a bounded number of pages is kept, so
 * scrolling through 10,000 images holds memory steady; `version` tells views a page arrived.
 */
import type { StudioApi } from '../../../shared/contract'
import type { RawImage } from '../../../shared/images'
import { pagesFor } from '../lib/virtual-grid'

/** Small pages: a page of 128 px colour images is already 3 MB on the wire. */
export const thumbnailPageSize = 64
const maxPages = 80

export class ThumbnailCache {
  version = $state(0)
  private pages = new Map<number, RawImage[]>()
  private inFlight = new Set<number>()
  /** Bumped on reset, so answers for a previous dataset are dropped. */
  private generation = 0
  private total = 0

  constructor(
    private readonly api: StudioApi,
    private readonly onError: (err: unknown) => void
  ) {}

  reset(total: number): void {
    this.generation++
    this.total = total
    this.pages.clear()
    this.inFlight.clear()
    this.version++
  }

  /** Reads `version`, so a view calling this re-renders when the image's page arrives. */
  get(index: number): RawImage | undefined {
    void this.version
    return this.pages.get(Math.floor(index / thumbnailPageSize))?.[index % thumbnailPageSize]
  }

  /** Fetches the pages covering [from, to) that are neither cached nor on their way. */
  ensure(from: number, to: number): void {
    const wanted = pagesFor(from, Math.min(to, this.total), thumbnailPageSize)
    for (const page of wanted) {
      if (this.pages.has(page) || this.inFlight.has(page)) continue
      void this.fetch(page, wanted)
    }
  }

  private async fetch(page: number, keep: number[]): Promise<void> {
    const generation = this.generation
    this.inFlight.add(page)
    try {
      const from = page * thumbnailPageSize
      const count = Math.min(thumbnailPageSize, this.total - from)
      const images = await this.api.datasetThumbnails({ from, count })
      if (generation !== this.generation) return
      this.pages.set(page, images)
      this.evict(keep)
      this.version++
    } catch (err) {
      if (generation === this.generation) this.onError(err)
    } finally {
      if (generation === this.generation) this.inFlight.delete(page)
    }
  }

  /** Drops the pages farthest from the ones on screen once over budget. */
  private evict(keep: number[]): void {
    if (this.pages.size <= maxPages) return
    const centre = keep.length ? keep[Math.floor(keep.length / 2)] : 0
    const byDistance = [...this.pages.keys()].filter((p) => !keep.includes(p)).sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre))
    for (const page of byDistance.slice(0, this.pages.size - maxPages)) this.pages.delete(page)
  }
}
