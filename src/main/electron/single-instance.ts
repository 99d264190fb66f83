/**
 * One studio at a time: two apps training on the same project would fight over its files.
 * A second launch hands its command line to the first and quits.
 */
import { app } from 'electron'

/** False when another instance runs; the caller then quits without opening anything. */
export function setupSingleInstance(onSecondLaunch: (argv: string[], cwd: string) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', (_event, argv, cwd) => onSecondLaunch(argv, cwd))
  return true
}
