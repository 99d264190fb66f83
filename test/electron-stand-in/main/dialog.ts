/** `dialog`: the test answers every native dialog (see the fixture's `dialogs`). */
import type { DialogAnswer, DialogRequest } from '../messages'
import { link } from './link'

type Options = DialogRequest['options']

/** Electron takes an optional parent window first. */
function optionsOf(args: unknown[]): Options {
  return (args.length > 1 ? args[1] : args[0]) as Options
}

export const dialog = {
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    const answer = await link.request<DialogAnswer>('dialog', { type: 'open', options: optionsOf(args) } satisfies DialogRequest)
    return answer.canceled ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: answer.paths }
  },
  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    const answer = await link.request<DialogAnswer>('dialog', { type: 'save', options: optionsOf(args) } satisfies DialogRequest)
    return answer.canceled ? { canceled: true, filePath: '' } : { canceled: false, filePath: answer.paths[0] }
  },
  showErrorBox(title: string, content: string): void {
    link.notify('error-box', { title, content })
  }
}
