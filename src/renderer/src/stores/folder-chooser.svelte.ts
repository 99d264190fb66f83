/**
 * The in-page folder chooser of serve mode, where the browser has no native folder dialog. It
 * browses the host's file system through `filesList`, which only answers inside folders the
 * host allows, so the page can never list more than the host would let it read. The host also
 * names those folders (offered as places to jump to) and how to add another; exports open in
 * the visible folder the host keeps for them.
 */
import type { DirEntry, FolderPlace, FolderPurpose, StudioApi } from '../../../shared/contract'
import { messageOf } from '../../../shared/errors'
import { LatestRequest } from '../lib/latest-request'
import { joinPath, safeFolderName } from '../lib/paths'

/** The user's home folder, as the host reads it. */
const home = '~'

/** Exports name a new folder inside the chosen one, as a new project does. */
const exportsInto = new Set<FolderPurpose>(['export-model', 'export-samples'])

export class FolderChooser {
  open = $state(false)
  purpose = $state<FolderPurpose>('import')
  /** The folder being shown, and what the user typed in the path field. */
  path = $state('')
  typed = $state('')
  parent = $state<string | null>(null)
  entries = $state<DirEntry[]>([])
  error = $state<string | null>(null)
  loading = $state(false)
  /** For a new project: its name, which becomes the `Name.vaeproj` folder inside `path`. */
  name = $state('Faces')
  /** For a model export: the folder to create inside `path` (kept apart from the project name). */
  exportName = $state('model')
  /** Desktop app: a native dialog already chose the folder; only the project's name is asked. */
  nameOnly = $state(false)
  /** The folders the host lets the page reach, as shortcuts, and how to make another reachable. */
  places = $state.raw<FolderPlace[]>([])
  howToAdd = $state<string | null>(null)
  /** The user has typed in the path field since a folder was last asked for: the chooser's own opening must not replace it. */
  private edited = false
  private resolve: ((folder: string | null) => void) | null = null
  /** Only the latest listing asked for may change what is shown. */
  private readonly listings = new LatestRequest()

  constructor(private readonly api: StudioApi) {}

  /**
   * Opens the chooser and resolves with the chosen folder, or null when cancelled. It shows
   * `start` at once (Home where `start` cannot be listed any more: a remembered folder that was
   * removed); an export waits for the host's export folder instead, unless the user has gone
   * somewhere meanwhile.
   */
  ask(purpose: FolderPurpose, start: string): Promise<string | null> {
    const answer = this.show(purpose, false)
    const isLatest = this.listings.begin()
    const places = this.api.filesPlaces({ purpose }).catch(() => null)
    void places.then((found) => {
      this.places = found?.places ?? []
      this.howToAdd = found?.howToAdd ?? null
    })
    if (!exportsInto.has(purpose))
      void this.browse(start, 'opening').then((shown) => {
        if (!shown && start !== home) void this.browse(home, 'opening')
      })
    else {
      this.loading = true
      void places.then(async (found) => {
        if (isLatest()) await this.browse(found?.start ?? start, 'opening')
      })
    }
    return answer
  }

  /** Asks for a new project's name inside `parent`; resolves with the project folder or null. */
  askName(parent: string): Promise<string | null> {
    const answer = this.show('new-project', true)
    this.path = parent
    this.entries = []
    return answer
  }

  private show(purpose: FolderPurpose, nameOnly: boolean): Promise<string | null> {
    this.resolve?.(null)
    this.purpose = purpose
    this.nameOnly = nameOnly
    this.open = true
    this.error = null
    this.edited = false
    return new Promise((resolve) => {
      this.resolve = resolve
    })
  }

  /** The user typed in the path field (kept until they go somewhere). */
  edit(text: string): void {
    this.typed = text
    this.edited = true
  }

  /**
   * Shows `path`; false when it cannot be listed (unless a newer request took over). The listing the chooser asks for when it opens can answer after the user has
   * already typed another folder: an answer to anything but the latest request is dropped, and an
   * answer never replaces what the user typed in the path field since it was asked for. The
   * chooser's own `opening` does not even begin by replacing it.
   */
  async browse(path: string, by: 'user' | 'opening' = 'user'): Promise<boolean> {
    const isLatest = this.listings.begin()
    this.loading = true
    if (by === 'user' || !this.edited) {
      this.typed = path
      this.edited = false
    }
    try {
      const listing = await this.api.filesList({ path })
      if (!isLatest()) return true
      this.path = listing.path
      if (this.typed === path) this.typed = listing.path
      this.parent = listing.parent
      this.entries = listing.entries
      this.error = null
      if (exportsInto.has(this.purpose)) this.exportName = freeName(this.exportName, listing.entries)
      return true
    } catch (err) {
      if (!isLatest()) return true
      this.error = messageOf(err)
      return false
    } finally {
      if (isLatest()) this.loading = false
    }
  }

  folders = $derived(this.entries.filter((e) => e.kind === 'dir'))
  /** Files in the shown folder, so the user sees whether an import would find anything. */
  fileCount = $derived(this.entries.filter((e) => e.kind === 'file').length)

  /** What choosing now would return: the shown folder, or the new project's folder inside it. */
  target = $derived.by(() => {
    if (this.purpose === 'new-project')
      return safeFolderName(this.name) ? joinPath(this.path, `${safeFolderName(this.name)}.vaeproj`) : null
    if (exportsInto.has(this.purpose))
      return safeFolderName(this.exportName) && this.path ? joinPath(this.path, safeFolderName(this.exportName)) : null
    return this.path || null
  })

  choose(folder: string | null = this.target): void {
    if (folder) this.finish(folder)
  }

  cancel(): void {
    this.finish(null)
  }

  private finish(folder: string | null): void {
    this.open = false
    const resolve = this.resolve
    this.resolve = null
    resolve?.(folder)
  }
}

/** `name`, or `name 2`, `name 3`… where a folder of that name is already there (exports want a new folder). */
function freeName(name: string, entries: DirEntry[]): string {
  const taken = new Set(entries.map((e) => e.name.toLowerCase()))
  const base = name.replace(/ \d+$/, '')
  let candidate = name
  for (let n = 2; taken.has(safeFolderName(candidate).toLowerCase()); n++) candidate = `${base} ${n}`
  return candidate
}
