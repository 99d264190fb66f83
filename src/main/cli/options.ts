/** Parsing helpers that turn a bad flag into one clear line naming the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error'

export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  positionals: { min: number; max: number; usage: string }
) {
  let parsed
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\nusage: ${positionals.usage}`)
  }
  if (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max) {
    throw new UsageError(`usage: ${positionals.usage}`)
  }
  return parsed
}

/** `--amounts -1,0,1` would read "-1,0,1" as a flag: a negative number after a value flag is its value. */
function joinNegativeValues(args: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : null
    const next = args[i + 1]
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${args[i]}=${next}`)
      i++
    } else out.push(args[i])
  }
  return out
}

export function numberFlag(
  flag: string,
  value: string | undefined,
  range: { min: number; max: number; integer?: boolean }
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || (range.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} expects ${range.integer ? 'a whole number' : 'a number'}, not "${value}"`)
  }
  if (n < range.min || n > range.max) throw new UsageError(`--${flag} must be between ${range.min} and ${range.max}, not ${value}`)
  return n
}

export function choiceFlag<C extends string>(flag: string, value: string | undefined, choices: readonly C[]): C | undefined {
  if (value === undefined) return undefined
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, not "${value}"`)
  return value as C
}

/** "3,7,12" → [3, 7, 12]: image indices as the dataset numbers them (0-based). */
export function indexListFlag(flag: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((v) => v.trim())
  if (items.some((v) => !/^\d+$/.test(v)))
    throw new UsageError(`--${flag} expects image numbers separated by commas (e.g. 3,7,12), not "${value}"`)
  return items.map(Number)
}
