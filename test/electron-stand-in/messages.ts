/** What the two halves of the stand-in say to each other (see rpc.ts), by kind. */

/** Main process → test process. */
export interface WindowCreated {
  id: number
  width: number
  height: number
  /** The preload script's path (the real built bundle). */
  preload?: string
  sandbox: boolean
  contextIsolation: boolean
}

export interface WindowLoad {
  id: number
  url: string
}

export interface WindowSend {
  id: number
  channel: string
  args: unknown[]
}

export interface DialogRequest {
  type: 'open' | 'save'
  options: { title?: string; defaultPath?: string; properties?: string[] }
}

export type DialogAnswer = { canceled: true } | { canceled: false; paths: string[] }

/** Test process → main process. */
export interface IpcFromPage {
  id: number
  /** The sending frame's URL as Electron reports it (app://…, not the stand-in's http address). */
  frameUrl: string
  isMainFrame: boolean
  channel: string
  args: unknown[]
}

export interface ProtocolRequest {
  url: string
  method: string
  headers: Record<string, string>
}

export interface ProtocolResponse {
  status: number
  headers: Record<string, string>
  body: Uint8Array
}

export interface MenuEntry {
  label: string
  enabled: boolean
  submenu?: MenuEntry[]
}
