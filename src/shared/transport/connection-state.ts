/** What a page in serve mode knows about its connection to the studio server. */
export type ConnectionState =
  | { state: 'connected' }
  /** The connection dropped and the server does not answer; it is tried again every `retryMs`. */
  | { state: 'reconnecting'; attempts: number; retryMs: number }
  /**
   * The server answers but refuses this page's token (401) or origin (403): it was restarted and
   * printed a new address, so trying again cannot help.
   */
  | { state: 'refused'; status: 401 | 403 }
