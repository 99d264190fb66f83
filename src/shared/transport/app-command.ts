/**
 * Commands the Electron app's native menu (and a second launch with a project path) hands to
 * the renderer, which runs them with its own dialogs and state, exactly as its buttons would.
 * They arrive as the `app:command` event.
 */
export type AppCommand =
  | { command: 'new-project' | 'save' | 'export' }
  /** With `path` (Open Recent, command line) the host already allows it; without, ask the user. */
  | { command: 'open-project'; path?: string }
  /** The project the app was started on could not be opened (e.g. a folder that failed to import). */
  | { command: 'startup-failed'; message: string }

export const appCommandEvent = 'app:command'
