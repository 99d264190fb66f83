/**
 * When the engine process ends. A terminal's Ctrl+C goes to its whole process group, the engine
 * included: the engine ignores it, since the CLI that got it too decides what happens (stop after
 * the current step, save, exit 130) and tells the engine. The engine ends, after saving a running
 * training, when its parent is gone however that happened (the IPC channel closed, the parent
 * killed, the process re-parented) and on SIGTERM or SIGHUP; a second such signal ends it at once.
 */

/** How often the parent's pid is checked: the fallback where no channel says the parent is gone. */
const parentCheckMs = 1000

export function watchParent(onGone: (why: string) => void): void {
  process.on('SIGINT', () => undefined)
  process.once('SIGTERM', () => onGone('it was asked to end (SIGTERM)'))
  process.once('SIGHUP', () => onGone('its terminal closed (SIGHUP)'))
  process.on('disconnect', () => onGone('its parent closed the connection'))
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && onGone('its parent process ended'), parentCheckMs).unref()
  // With the parent gone, its end of the stderr pipe is too: a last message must not crash the save.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)
}
