/**
 * Settings for serve mode and the CLI, where electron-store is not available: one JSON file in
 * the user's config folder. `set` answers at once from memory (the host's `SettingsStore` is
 * synchronous) and writes behind, atomically, coalescing bursts into one write.
 */
import { promises as fs, readFileSync, renameSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Settings } from '../../shared/contract'
import { writeJsonAtomic } from '../engine/fs/atomic-write'
import type { SettingsStore } from '../host/types'
import { mergeSettings, normalizeSettings } from '../host/settings-values'
import { messageOf } from '../../shared/errors'

export interface JsonSettingsStore extends SettingsStore {
  readonly file: string
  /** Resolves once every change so far is on disk; rejects if the last write failed. */
  flush(): Promise<void>
}

/** `$VAE_STUDIO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/vae-studio`, else `~/.config/vae-studio`. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VAE_STUDIO_CONFIG_DIR) return path.resolve(env.VAE_STUDIO_CONFIG_DIR)
  const base = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(os.homedir(), '.config')
  return path.join(base, 'vae-studio')
}

function load(file: string): Settings {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return normalizeSettings(undefined)
  }
  try {
    return normalizeSettings(JSON.parse(text))
  } catch {
    // A corrupt file is kept aside for the user rather than silently overwritten.
    renameSync(file, `${file}.corrupt`)
    return normalizeSettings(undefined)
  }
}

export function openJsonSettingsStore(configDir: string = defaultConfigDir()): JsonSettingsStore {
  const file = path.join(configDir, 'settings.json')
  let current = load(file)
  let dirty = false
  let writing: Promise<void> | null = null
  let lastError: unknown = null

  async function drain(): Promise<void> {
    while (dirty) {
      dirty = false
      try {
        await fs.mkdir(configDir, { recursive: true })
        await writeJsonAtomic(file, current)
        lastError = null
      } catch (err) {
        lastError = err
        process.emitWarning(`could not save settings to ${file}: ${messageOf(err)}`)
      }
    }
    writing = null
  }

  return {
    file,
    get: () => structuredClone(current),
    set(patch) {
      current = mergeSettings(current, patch)
      dirty = true
      writing ??= drain()
      return structuredClone(current)
    },
    async flush() {
      await writing
      if (lastError) throw lastError
    }
  }
}
