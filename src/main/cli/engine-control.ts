/** What an engine command may do to the engine process beyond the contract. */
export interface EngineControl {
  /** Ends it at once, saving nothing (a second Ctrl+C). */
  kill(): Promise<void>
}
