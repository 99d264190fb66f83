/**
 * What stops the desktop app before it shows a window, found before starting it so the user reads
 * a fix instead of Chromium aborting. Electron 45's downloader needs Node 22.12+; on Linux,
 * Chromium's sandbox needs either unprivileged user namespaces (Ubuntu 23.10+ restricts them
 * through AppArmor, Debian can turn them off) or a setuid-root `chrome-sandbox` helper.
 */
export interface PreflightFacts {
  nodeVersion: string
  platform: NodeJS.Platform
  /** Whether `node_modules/electron/dist` already holds the binary. */
  binaryInstalled: boolean
  /** `chrome-sandbox`'s owner and mode, where the binary is installed on Linux. */
  chromeSandbox?: { uid: number; mode: number; path: string }
  /** `/proc/sys/kernel/apparmor_restrict_unprivileged_userns` (Ubuntu) and `unprivileged_userns_clone` (Debian), where they exist. */
  apparmorRestrictsUserns?: string
  unprivilegedUsernsClone?: string
}

/** The problem that would stop the app, in words with the fix, or null when it should start. */
export function desktopProblem(facts: PreflightFacts): string | null {
  const [major, minor] = facts.nodeVersion.replace(/^v/, '').split('.').map(Number)
  if (!facts.binaryInstalled && (major < 22 || (major === 22 && minor < 12))) {
    return (
      `Electron's downloader needs Node 22.12 or newer to fetch the desktop app; this is Node ${facts.nodeVersion}. ` +
      'Install Node 22 LTS and run `npm start` again, or use the same studio in a browser: `npm run serve`.'
    )
  }
  if (facts.platform !== 'linux' || !facts.chromeSandbox) return null
  const usernsRestricted = facts.apparmorRestrictsUserns?.trim() === '1' || facts.unprivilegedUsernsClone?.trim() === '0'
  const setuidRoot = facts.chromeSandbox.uid === 0 && (facts.chromeSandbox.mode & 0o4755) === 0o4755
  if (!usernsRestricted || setuidRoot) return null
  return [
    'This Linux system does not let Chromium start its sandbox: unprivileged user namespaces are restricted',
    `(Ubuntu 23.10+ does this through AppArmor) and ${facts.chromeSandbox.path} is not setuid root.`,
    'Give the sandbox helper the rights it needs, once:',
    `  sudo chown root:root ${facts.chromeSandbox.path}`,
    `  sudo chmod 4755 ${facts.chromeSandbox.path}`,
    'or install an AppArmor profile for this Electron (see README.md, "First launch"), then run `npm start` again.',
    'The studio also runs in a browser without any of this: `npm run serve`.'
  ].join('\n')
}
