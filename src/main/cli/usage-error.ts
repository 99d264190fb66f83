/** A mistake in the command line itself (exit code 2), as opposed to a failure doing the work. */
export class UsageError extends Error {
  override name = 'UsageError'
}
