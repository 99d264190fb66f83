/** The native dialogs behind `dialogPickFolder` and path-less exports; the host allows whatever the user picks. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron'

const titles = {
  import: 'Choose a folder of images',
  'open-project': 'Open a project (.vaeproj folder)',
  'new-project': 'Choose where to create the project',
  'export-model': 'Choose a folder for the exported model',
  'export-samples': 'Choose a new or empty folder for the generated faces'
} as const

export async function pickFolder(window: BrowserWindow | null, purpose: keyof typeof titles, defaultPath?: string): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: titles[purpose],
    ...(defaultPath && { defaultPath }),
    properties: purpose === 'import' || purpose === 'open-project' ? ['openDirectory'] : ['openDirectory', 'createDirectory']
  }
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

/** The native save dialog behind exports made without a path (the renderer's "Export…" buttons), opening on `defaultPath`. */
export async function pickSaveFile(window: BrowserWindow | null, defaultPath: string): Promise<string | null> {
  const extension = defaultPath.split('.').pop() ?? 'png'
  const options = { title: 'Export', defaultPath, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] }
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  return result.canceled ? null : (result.filePath ?? null)
}
