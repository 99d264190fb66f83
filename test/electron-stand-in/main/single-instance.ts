/**
 * `app.requestSingleInstanceLock()`, synchronous as in Electron: a lock file in the user-data
 * folder names the first instance's pid; a second instance drops its argv and working folder
 * into a mailbox the first one watches (Chromium uses a socket there), then gets `false`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export function requestLock(userData: string, onSecondInstance: (argv: string[], cwd: string) => void): boolean {
  mkdirSync(userData, { recursive: true })
  const lock = path.join(userData, 'SingletonLock')
  const mailbox = path.join(userData, 'SingletonMailbox')
  const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : NaN
  if (holder !== process.pid && Number.isInteger(holder) && alive(holder)) {
    mkdirSync(mailbox, { recursive: true })
    const letter = path.join(mailbox, `${process.pid}-${Date.now()}.json`)
    writeFileSync(`${letter}.tmp`, JSON.stringify({ argv: process.argv, cwd: process.cwd() }))
    renameSync(`${letter}.tmp`, letter)
    return false
  }
  writeFileSync(lock, String(process.pid))
  rmSync(mailbox, { recursive: true, force: true })
  mkdirSync(mailbox, { recursive: true })
  const timer = setInterval(() => {
    for (const name of readdirSync(mailbox).filter((n) => n.endsWith('.json'))) {
      const letter = path.join(mailbox, name)
      const { argv, cwd } = JSON.parse(readFileSync(letter, 'utf8')) as { argv: string[]; cwd: string }
      unlinkSync(letter)
      onSecondInstance(argv, cwd)
    }
  }, 50)
  timer.unref()
  process.once('exit', () => rmSync(lock, { force: true }))
  return true
}
