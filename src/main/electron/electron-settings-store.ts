/**
 * The app's settings in electron-store (atomic JSON in the user-data folder), plus what only the
 * app keeps: the window's bounds. Values are read back through the same per-field check as the
 * serve mode's store, so a damaged file costs one setting, not all of them.
 */
import Store from 'electron-store'
import type { Settings } from '../../shared/contract'
import type { SettingsStore } from '../host/types'
import { mergeSettings, normalizeSettings } from '../host/settings-values'
import { restoreBounds, type WindowBounds } from './window-bounds'

export interface ElectronSettingsStore extends SettingsStore {
  windowBounds(displays: Array<{ workArea: { x: number; y: number; width: number; height: number } }>): WindowBounds | undefined
  saveWindowBounds(bounds: WindowBounds): void
  /** Fires after every change, e.g. to rebuild the Open Recent menu. */
  onChange(listener: (settings: Settings) => void): () => void
}

export function createElectronSettingsStore(): ElectronSettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true })
  let current = normalizeSettings(store.store)
  const listeners = new Set<(settings: Settings) => void>()
  return {
    get: () => structuredClone(current),
    set(patch) {
      current = mergeSettings(current, patch)
      store.set({ ...current })
      for (const listener of listeners) listener(structuredClone(current))
      return structuredClone(current)
    },
    windowBounds: (displays) => restoreBounds(store.get('windowBounds'), displays),
    saveWindowBounds: (bounds) => store.set('windowBounds', bounds),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
