/** What the host needs from the outside world, so the same host runs in Electron and in serve mode. */
import type { Envelope } from '../../shared/errors'
import type { FolderPlace, FolderPurpose, Settings } from '../../shared/contract'
import type { StudioEvents } from '../../shared/events'
import type { EngineLauncher } from '../engine/process/protocol'
import type { RestartPolicy } from './restart-policy'

export interface SettingsStore {
  get(): Settings
  set(patch: Partial<Settings>): Settings
}

export interface HostOptions {
  transport: 'electron' | 'serve' | 'cli'
  settings: SettingsStore
  /** Starts the engine process; each transport brings its own (fork or utilityProcess). */
  launchEngine: EngineLauncher
  /**
   * Native folder dialog, opening in `defaultPath` where one is given (exports: the default
   * export folder); absent in serve mode, where the page offers its own chooser.
   */
  pickFolder?: (purpose: FolderPurpose, defaultPath?: string) => Promise<string | null>
  /**
   * Native save dialog for exports requested without a path (Electron), suggesting `defaultPath`
   * (the suggested name in the default export folder). Absent in serve mode, where the bytes go
   * back to the page, which offers them as a download.
   */
  pickSaveFile?: (defaultPath: string) => Promise<string | null>
  /**
   * Folders requests may touch. Electron: none until the user picks one in a dialog. Serve mode:
   * the user's home folder, where the studio was started and the folders given with `--allow`,
   * each labelled as the in-page chooser offers it.
   */
  allowedRoots: Array<string | FolderPlace>
  /** The command line that would make `folder` reachable (serve mode's `--allow`); absent where a dialog does it. */
  allowCommand?: (folder?: string) => string
  /** Where exports of the project at `projectPath` go by default (tests point it elsewhere). */
  exportFolder?: (projectPath: string | null) => string
  /** How often a failed engine is started again (tests shorten its delays). */
  restartPolicy?: RestartPolicy
}

export type EventListener = <E extends keyof StudioEvents>(event: E, payload: StudioEvents[E]) => void

export interface StudioHost {
  /** Refuses a name that is not a contract method, validates `payload` against its schema and runs it; never throws. */
  invoke(method: string, payload: unknown): Promise<Envelope<unknown>>
  subscribe(listener: EventListener): () => void
  /** Adds a folder the user chose (dialog, drag-and-drop) to the roots requests may touch; a label offers it in the chooser. */
  allowRoot(folder: string, label?: string): void
  /**
   * Runs requests that belong together (the start-up project's create, then import) so that no
   * other client's project change comes between them: such changes wait until `steps` is done.
   */
  sequence<T>(steps: (invoke: StudioHost['invoke']) => Promise<T>): Promise<T>
  dispose(): Promise<void>
}
