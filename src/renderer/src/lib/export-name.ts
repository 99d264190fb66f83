/** File names for browser downloads: what was exported and when, so repeated exports never clash. */
export function exportFileName(what: string, extension: string, now = new Date()): string {
  const slug =
    what
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'export'
  return `vae-studio-${slug}-${now.toISOString().replace(/[:.]/g, '-')}.${extension}`
}
