/**
 * `vae-studio desktop [project | image folder]` (what `npm start` runs): checks what would stop
 * the desktop app before it shows a window, fetches the Electron binary on first use, then starts
 * the app through electron-vite (which builds it first).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { defineCommand } from '../command-spec'
import { desktopProblem, type PreflightFacts } from '../desktop-preflight'
import { parseCommand } from '../options'
import { packageRoot } from '../package-root'
import type { Reporter } from '../reporter'
import { messageOf } from '../../../shared/errors'

export const desktopCommand = defineCommand({
  name: 'desktop',
  summary: 'opens the desktop studio (what `npm start` runs), fetching Electron on first use',
  usage: '[project.vaeproj | image folder]',
  positionals: { min: 0, max: 1 },
  options: {},
  notes: [
    'With a project, the studio opens it; with a folder of images, it imports them into a new project; with neither, the last project.'
  ]
})

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

function facts(root: string): PreflightFacts {
  const electronDir = path.join(root, 'node_modules', 'electron')
  const relative = readIfExists(path.join(electronDir, 'path.txt'))?.trim()
  const binaryInstalled = relative !== undefined && existsSync(path.join(electronDir, 'dist', relative))
  const sandboxPath = path.join(electronDir, 'dist', 'chrome-sandbox')
  const sandbox = binaryInstalled && existsSync(sandboxPath) ? statSync(sandboxPath) : undefined
  return {
    nodeVersion: process.version,
    platform: process.platform,
    binaryInstalled,
    chromeSandbox: sandbox && { uid: sandbox.uid, mode: sandbox.mode, path: sandboxPath },
    apparmorRestrictsUserns: readIfExists('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    unprivilegedUsernsClone: readIfExists('/proc/sys/kernel/unprivileged_userns_clone')
  }
}

export async function runDesktop(args: string[], reporter: Reporter): Promise<number> {
  const { positionals } = parseCommand(args, desktopCommand)
  const root = packageRoot()
  const before = desktopProblem(facts(root))
  if (before) return fail(reporter, before)
  // The electron package downloads its binary when first required (npm's install does not).
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own copy, by path, for its side effect
    require(path.join(root, 'node_modules', 'electron'))
  } catch (err) {
    return fail(reporter, `could not fetch the Electron binary (${messageOf(err)}); the same studio runs in a browser: \`npm run serve\``)
  }
  const after = desktopProblem(facts(root))
  if (after) return fail(reporter, after)
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const child = spawn(process.execPath, [cli, 'preview', '--', ...positionals], { cwd: root, stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}

function fail(reporter: Reporter, message: string): number {
  reporter.error('desktop', message)
  return 1
}
