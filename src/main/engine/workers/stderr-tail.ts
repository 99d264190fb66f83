/**
 * The last lines a child process or worker thread wrote to stderr. When one dies without an
 * error object (a `process.exit`, an abort in native code), its last line is usually the only
 * reason there is, so the host and the worker pool put it in the message the user reads.
 *
 * Imports nothing of the engine: the host and the Electron edge use it without loading tfjs.
 */
/** Characters kept: enough for a stack trace's first lines. */
const keep = 2000

export class StderrTail {
  private text = ''

  /**
   * Collects what `stream` carries (nothing when there is no stream) and, with `echo`, passes it
   * on, so what the child wrote is still seen where the parent's own output goes.
   */
  constructor(stream: NodeJS.ReadableStream | null | undefined, echo?: NodeJS.WritableStream) {
    stream?.on('data', (chunk: Buffer | string) => {
      this.text = (this.text + chunk.toString()).slice(-keep)
      echo?.write(chunk)
    })
  }

  /** Forgets what was written so far (a thread's start-up output, once it has started). */
  clear(): void {
    this.text = ''
  }

  /** The last non-empty line, or undefined when nothing was written. */
  get lastLine(): string | undefined {
    const line = this.text.trim().split('\n').pop()
    return line === '' ? undefined : line
  }
}
