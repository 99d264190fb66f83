/** Parsing helpers that turn a bad flag into one clear line naming the flag. */
import { parseArgs } from 'node:util'
import { usageLine, type CommandSpec, type OptionSpec, type OptionSpecs } from './command-spec'
import { UsageError } from './usage-error'

type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string

export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: OptionValue<O[K]> }

/** Parses `args` as `spec` declares them (plus `--json`); a wrong command line throws a UsageError with the usage. */
export function parseCommand<O extends OptionSpecs>(
  args: string[],
  spec: CommandSpec<O>
): { values: OptionValues<O>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [name, { type: option.type, multiple: option.multiple ?? false }])
  )
  let parsed
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, spec.options),
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
  } catch (err) {
    // Node's own text for an unknown option goes on about positionals that start with '-'.
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message)?.[1]
    const what = unknown ? `unknown option ${unknown}` : (err as Error).message.split('\n')[0]
    throw new UsageError(`${what}\nusage: ${usageLine(spec)}\n(vae-studio ${spec.name} --help says what each option does)`)
  }
  if (parsed.positionals.length < spec.positionals.min || parsed.positionals.length > spec.positionals.max) {
    throw new UsageError(`usage: ${usageLine(spec)}`)
  }
  return { values: parsed.values as OptionValues<O>, positionals: parsed.positionals }
}

/** `--amounts -1,0,1` would read "-1,0,1" as a flag: a negative number after a value flag is its value. */
function joinNegativeValues(args: string[], options: OptionSpecs): string[] {
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

/** A flag the command cannot do without. */
export function required<T>(value: T | undefined, flag: string, spec: CommandSpec): T {
  if (value === undefined) throw new UsageError(`--${flag} is required\nusage: ${usageLine(spec)}`)
  return value
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
