/**
 * What `vae-studio <command> …` does with its command line: help, dispatch, and the exit code
 * (0 done, 1 the work failed, 2 the command line was wrong, 75 training paused (disk full, a lost
 * worker) and stopped: the same command resumes once the cause is fixed, 130 interrupted).
 */
import { StudioError, messageOf } from '../../shared/errors'
import { helpText, isHelpRequest } from './command-spec'
import { commands, findCommand } from './commands'
import { openStudio } from './open-studio'
import { createReporter } from './reporter'
import { UsageError } from './usage-error'

function overview(): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2
  return [
    'vae-studio — train and explore a β-VAE on your own images',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'vae-studio <command> --help shows its options; every command takes --json for one JSON object per line.'
  ].join('\n')
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  const reporter = createReporter(args.includes('--json'))
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      const asked = name === 'help' && args[0] ? findCommand(args[0]) : undefined
      process.stdout.write(`${asked ? helpText(asked.spec) : overview()}\n`)
      return name ? 0 : 2
    }
    const command = findCommand(name)
    if (!command) throw new UsageError(`unknown command "${name}"; run vae-studio --help`)
    if (isHelpRequest(args)) {
      process.stdout.write(`${helpText(command.spec)}\n`)
      return 0
    }
    if (!command.engine) return (await command.run(args, reporter)) ?? 0
    const backendIndex = args.indexOf('--backend')
    const opened = openStudio({ backend: backendIndex >= 0 ? args[backendIndex + 1] : undefined, command: `vae-studio ${name}` })
    // Damaged files set aside, a project lock taken over: said by the engine whatever the command.
    opened.studio.on('train:notice', (n) => reporter.notice(n))
    try {
      return (await command.run(args, reporter, opened.studio, { kill: opened.killEngine })) ?? 0
    } finally {
      await opened.close()
    }
  } catch (err) {
    const usage = err instanceof UsageError
    const code = usage ? 'usage' : err instanceof StudioError ? err.code : 'internal'
    const message = messageOf(err)
    reporter.error(code, usage ? message : message.split('\n')[0])
    return usage ? 2 : 1
  }
}
