/**
 * Electron IPC's names for the contract's methods: one `ipcMain.handle` channel per method, in
 * the `domain:verb` form Electron tools show (`engineInfo` → 'engine:info', `trainSetBeta` →
 * 'train:set-beta'). Only the Electron edge (preload, main's IPC setup) uses them; everything
 * behind it speaks method names.
 */
import { methodNames, type MethodName } from '../contract'

function channelOf(method: string): string {
  const [domain, ...rest] = method.split(/(?=[A-Z])/)
  return `${domain}:${rest.map((word) => word.toLowerCase()).join('-')}`
}

export const ipcChannels: ReadonlyMap<MethodName, string> = new Map(methodNames.map((method) => [method, channelOf(method)]))
