/** The native folder chooser behind `dialogPickFolder`; the host allows whatever the user picks. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron'

const titles = {
  import: 'Choose a folder of images',
  'open-project': 'Open a project (.vaeproj folder)',
  'new-project': 'Choose where to create the project'
} as const

export async function pickFolder(window: BrowserWindow | null, purpose: keyof typeof titles): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: titles[purpose],
    properties: purpose === 'new-project' ? ['openDirectory', 'createDirectory'] : ['openDirectory']
  }
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}
