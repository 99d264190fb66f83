/** A word as a POSIX shell reads it back: left alone when plain, single-quoted otherwise. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
