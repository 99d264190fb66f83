/** How many checkpoints the crash test's write loop keeps (shared with the test's checks). */
export const crashTestKeep = 2
