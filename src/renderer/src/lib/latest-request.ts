/**
 * Numbers requests whose answers may arrive out of order: one begun earlier that answers after a
 * newer one is stale, and must neither show its answer nor end the newer one's busy state.
 */
export class LatestRequest {
  private count = 0

  /** Starts a request; the returned check says whether it is still the latest one begun. */
  begin(): () => boolean {
    const id = ++this.count
    return () => id === this.count
  }
}
