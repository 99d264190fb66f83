/** `--help` on every command: a usage line and one line for each option, without starting anything. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { commands } from './commands'
import { runCli } from './run-cli'

let printed = ''
afterEach(() => {
  vi.restoreAllMocks()
  printed = ''
})

function captureStdout(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk)
    return true
  })
}

describe('vae-studio --help', () => {
  it.each(commands.map((c) => [c.spec.name, c]))(
    '%s --help and -h print the usage and every option with a description',
    async (name, command) => {
      for (const flag of ['--help', '-h']) {
        captureStdout()
        expect(await runCli([name, flag])).toBe(0)
        const lines = printed.split('\n')
        expect(lines[0]).toBe(`vae-studio ${name}: ${command.spec.summary}`)
        expect(printed).toContain(`usage: vae-studio ${name}`)
        for (const option of [...Object.keys(command.spec.options), 'json']) {
          const line = lines.find((l) => l.trimStart().startsWith(`--${option}`))
          expect(line, `--${option}`).toBeDefined()
          // The flag, its value's shape, then at least a few words of description.
          expect(line!.trim().split(/\s{2,}/)[1]?.length ?? 0, `--${option} has a description`).toBeGreaterThan(8)
        }
        vi.restoreAllMocks()
        printed = ''
      }
    }
  )

  it('says the serve port’s real default and what 0 means', async () => {
    captureStdout()
    await runCli(['serve', '--help'])
    expect(printed).toMatch(/\[--port 5599\]/)
    expect(printed).toMatch(/--port <n>\s+the port to listen on \(default 5599; 0 picks a free one\)/)
  })

  it('tells commands that take image numbers that they count from 1', async () => {
    for (const name of ['interpolate', 'arithmetic', 'attribute', 'denoise', 'reconstruct']) {
      captureStdout()
      await runCli([name, '--help'])
      expect(printed, name).toContain('Images are numbered from 1')
      vi.restoreAllMocks()
      printed = ''
    }
  })

  it('lists every command with its summary, and `help <command>` shows that command', async () => {
    captureStdout()
    expect(await runCli(['--help'])).toBe(0)
    for (const command of commands) expect(printed).toContain(`${command.spec.name}  `)
    printed = ''
    expect(await runCli(['help', 'train'])).toBe(0)
    expect(printed).toMatch(/^vae-studio train: /)
  })
})
