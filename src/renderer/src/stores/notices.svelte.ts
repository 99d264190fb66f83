/**
 * Errors and short confirmations shown to the user. Every studio call a user triggers goes
 * through `guard`, so a failed request is always shown with its message instead of vanishing in
 * the console.
 */
import { StudioError, messageOf } from '../../../shared/errors'

export type NoticeKind = 'error' | 'info'

export interface Notice {
  id: number
  kind: NoticeKind
  title: string
  message: string
  code?: string
}

/** Confirmations disappear by themselves; errors stay until dismissed. */
const infoLifetimeMs = 6000

export class Notices {
  items = $state<Notice[]>([])
  private nextId = 1

  push(kind: NoticeKind, title: string, message: string, code?: string): number {
    const id = this.nextId++
    this.items.push({ id, kind, title, message, code })
    if (kind === 'info') setTimeout(() => this.dismiss(id), infoLifetimeMs)
    return id
  }

  info(title: string, message = ''): number {
    return this.push('info', title, message)
  }

  error(title: string, err: unknown): number {
    if (err instanceof StudioError) return this.push('error', title, err.message, err.code)
    // Errors from the WebSocket client or IPC may arrive as plain objects carrying a code.
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined
    const message = messageOf(err)
    return this.push('error', title, message, code)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id)
  }

  /** Runs a user action; on failure shows the error and resolves to undefined. */
  async guard<T>(title: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action()
    } catch (err) {
      this.error(title, err)
      return undefined
    }
  }
}
