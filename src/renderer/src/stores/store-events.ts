/**
 * How a store joins the studio (after Podman Desktop's `EventStore`): it declares the events it
 * listens to and resets itself when the project changes, so `Studio` only composes stores and
 * never reaches into another store's fields.
 */
import type { ProjectSummary, StudioApi } from '../../../shared/contract'
import type { StudioEvents } from '../../../shared/events'

/** The studio events a store listens to, each with its handler. */
export type StoreEvents = { [E in keyof StudioEvents]?: (payload: StudioEvents[E]) => void }

/**
 * - `switched`: another project (or none) is open; nothing of the old one may stay.
 * - `reloaded`: the same project was read again (a reconnect, a re-open): what is derived from it
 *   is rebuilt, the user's own work on it (kept images, tool inputs) stays.
 * - `updated`: the same project's summary changed (an import, a new checkpoint).
 */
export type ProjectChangeKind = 'switched' | 'reloaded' | 'updated'

export interface ProjectChange {
  project: ProjectSummary | null
  kind: ProjectChangeKind
}

/** What `Studio` composes. */
export interface StudioStore {
  readonly events: StoreEvents
  /** The one reset hook: called on every project change, the store decides what to drop. */
  reset(change: ProjectChange): void | Promise<void>
}

/** Subscribes every declared event through `studio.on`; the returned function unsubscribes them all. */
export function listen(api: Pick<StudioApi, 'on'>, events: StoreEvents): () => void {
  const offs = (Object.keys(events) as Array<keyof StudioEvents>).map((event) => subscribe(api, event, events))
  return () => {
    for (const off of offs) off()
  }
}

function subscribe<E extends keyof StudioEvents>(api: Pick<StudioApi, 'on'>, event: E, events: StoreEvents): () => void {
  const handler = events[event] as (payload: StudioEvents[E]) => void
  return api.on(event, (payload) => handler(payload))
}

/** True when the change brings another project (or re-reads it): derived state is rebuilt. */
export function isReopen(change: ProjectChange): boolean {
  return change.kind !== 'updated'
}
