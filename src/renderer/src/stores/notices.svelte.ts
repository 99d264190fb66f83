/**
 * Errors and short confirmations shown to the user. Every studio call a user triggers goes
 * through `guard`, so a failed request is always shown with its message instead of vanishing in
 * the console. A message already on screen is not shown again: its notice counts the repeats.
 */
import { StudioError, messageOf } from '../../../shared/errors'
import { plainInvalidRequest } from '../lib/plain-error'

export type NoticeKind = 'error' | 'info'

export interface Notice {
  id: number
  kind: NoticeKind
  title: string
  message: string
  code?: string
  /** How many times this message came; shown as "×3" from the second on. */
  count: number
  /** An action offered with the notice (e.g. Undo); it closes the notice when taken. */
  action?: { label: string; run: () => void }
}

/** Confirmations disappear by themselves; errors stay until dismissed. */
const infoLifetimeMs = 6000

export class Notices {
  items = $state<Notice[]>([])
  private nextId = 1
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>()
  /** Errors a banner says already (see `leaveToBanners`). */
  private saidByBanner: (code: string | undefined) => boolean = () => false

  /**
   * A lost server connection or a stopped engine fails every request the stores make at once;
   * its banner says so once, so those errors are not shown again, one notice each.
   */
  leaveToBanners(said: (code: string | undefined) => boolean): void {
    this.saidByBanner = said
  }

  push(kind: NoticeKind, title: string, message: string, code?: string, action?: Notice['action']): number {
    const same = action ? undefined : this.items.find((n) => n.kind === kind && n.message === message && n.code === code && !n.action)
    const id = same?.id ?? this.nextId++
    if (same) same.count++
    else this.items.push({ id, kind, title, message, code, count: 1, action })
    if (kind === 'info') {
      clearTimeout(this.timers.get(id))
      this.timers.set(
        id,
        setTimeout(() => this.dismiss(id), action ? 2 * infoLifetimeMs : infoLifetimeMs)
      )
    }
    return id
  }

  info(title: string, message = '', action?: Notice['action']): number {
    return this.push('info', title, message, undefined, action)
  }

  /** The notice's id, or null when a banner says it already. */
  error(title: string, err: unknown): number | null {
    // Errors from the WebSocket client or IPC may arrive as plain objects carrying a code.
    const code =
      err instanceof StudioError
        ? err.code
        : typeof err === 'object' && err !== null && 'code' in err
          ? String((err as { code: unknown }).code)
          : undefined
    if (this.saidByBanner(code)) return null
    const message = messageOf(err)
    // A refused request is said in plain words; its code adds nothing for the user.
    const plain = code === 'invalid-request' ? plainInvalidRequest(message) : null
    return plain ? this.push('error', title, plain) : this.push('error', title, message, code)
  }

  dismiss(id: number): void {
    clearTimeout(this.timers.get(id))
    this.timers.delete(id)
    this.items = this.items.filter((n) => n.id !== id)
  }

  /** Closes the error notices a banner now says (they came before the banner did). */
  dismissErrors(codes: readonly string[]): void {
    for (const notice of this.items) if (notice.kind === 'error' && notice.code && codes.includes(notice.code)) this.dismiss(notice.id)
  }

  /** Runs a notice's action and closes it. */
  act(id: number): void {
    const notice = this.items.find((n) => n.id === id)
    this.dismiss(id)
    notice?.action?.run()
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
