/**
 * What a command is, declared once: its usage line, a one-line summary and a one-line help for
 * each option. Parsing, the usage line in errors and `--help` all come from the same declaration,
 * so an option cannot be accepted without being explained.
 */

export interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  /** How the value is shown in the help (`<n>`, `<folder>`); none for a boolean. */
  value?: string
  /** One line: what the option does, and its default where it has one. */
  help: string
}

export type OptionSpecs = Record<string, OptionSpec>

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string
  /** What the command does, in one line (the command list and its --help). */
  summary: string
  /** Everything after `vae-studio <name>` in the usage line: arguments and options in their shapes. */
  usage: string
  positionals: { min: number; max: number }
  options: O
  /** Sentences after the options (how images are numbered, what a default means). */
  notes?: string[]
}

/** Keeps the option names and types literal, so a command's parsed values are typed. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec
}

/** Every command takes these. */
export const commonOptions = {
  json: { type: 'boolean', help: 'print one JSON object per line instead of text' },
  help: { type: 'boolean', help: 'show this help' }
} as const satisfies OptionSpecs

/** Commands that run the engine choose its backend with this. */
export const backendOption = {
  type: 'string',
  value: 'auto|tensorflow|wasm|cpu',
  help: 'the TensorFlow.js backend (default auto: the fastest that loads here)'
} as const satisfies OptionSpec

/** Image numbers on the command line count from 1, as the studio shows them. */
export const imageNumbersNote = 'Images are numbered from 1, in dataset order, as the studio shows them.'

export function usageLine(spec: CommandSpec): string {
  return `vae-studio ${spec.name} ${spec.usage}`.trimEnd()
}

export function isHelpRequest(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h')
}

/** The text `vae-studio <command> --help` prints. */
export function helpText(spec: CommandSpec): string {
  const options: Array<[string, string]> = Object.entries(spec.options).map(([name, option]) => [
    `--${name}${option.value ? ` ${option.value}` : ''}${option.multiple ? ' (repeatable)' : ''}`,
    option.help
  ])
  options.push(['--json', commonOptions.json.help], ['-h, --help', commonOptions.help.help])
  const width = Math.max(...options.map(([flag]) => flag.length)) + 2
  return [
    `vae-studio ${spec.name}: ${spec.summary}`,
    '',
    `usage: ${usageLine(spec)}`,
    '',
    'options:',
    ...options.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`),
    ...(spec.notes?.length ? ['', ...spec.notes] : [])
  ].join('\n')
}
