/** Settings that live as long as the process: the CLI's (a command changes none that should last) and tests'. */
import { defaultSettings, mergeSettings } from './settings-values'
import type { SettingsStore } from './types'

export function memorySettingsStore(): SettingsStore {
  let settings = defaultSettings()
  return {
    get: () => settings,
    set: (patch) => (settings = mergeSettings(settings, patch))
  }
}
