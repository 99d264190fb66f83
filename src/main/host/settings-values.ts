/**
 * Settings as both stores (JSON file in serve mode, electron-store in the app) read them back:
 * a file may be hand-edited, corrupt or from an older version, so each field is checked on its
 * own and falls back to its default, keeping whatever else is still good.
 */
import { z } from 'zod'
import { defaultImportOptions, defaultTrainConfig, importOptionsSchema, trainConfigSchema } from '../../shared/config'
import type { Settings } from '../../shared/contract'

export function defaultSettings(): Settings {
  return {
    recentProjects: [],
    lastImportOptions: { ...defaultImportOptions },
    lastTrainConfig: { ...defaultTrainConfig, warmup: { ...defaultTrainConfig.warmup } },
    theme: 'system'
  }
}

const fieldSchemas = {
  recentProjects: z.array(z.string().min(1).max(4096)).max(20),
  // Older files lack newer options: the schemas' defaults fill them in.
  lastImportOptions: importOptionsSchema,
  lastTrainConfig: trainConfigSchema,
  theme: z.enum(['system', 'light', 'dark'])
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> }

export function normalizeSettings(raw: unknown): Settings {
  const settings = defaultSettings()
  if (typeof raw !== 'object' || raw === null) return settings
  const record = raw as Record<string, unknown>
  for (const key of Object.keys(fieldSchemas) as Array<keyof Settings>) {
    const parsed = fieldSchemas[key].safeParse(record[key])
    if (parsed.success) Object.assign(settings, { [key]: parsed.data })
  }
  return settings
}

/** Applies a patch the host already validated; the patch's fields replace whole values. */
export function mergeSettings(current: Settings, patch: Partial<Settings>): Settings {
  const next = { ...current }
  for (const key of Object.keys(fieldSchemas) as Array<keyof Settings>) {
    if (patch[key] !== undefined) Object.assign(next, { [key]: patch[key] })
  }
  return next
}
