/**
 * Where the page's folder chooser opens: the folder the user was in when they last chose one, as
 * a system's file dialog remembers it. Kept in the browser's storage, so it outlives the tab and a
 * server restart; a browser that refuses storage (private mode, a policy) just starts at Home.
 */
export interface FolderMemory {
  get(): string | null
  set(folder: string): void
}

const key = 'vae-studio:last-folder'

export function browserFolderMemory(storage: () => Storage | undefined = () => globalThis.localStorage): FolderMemory {
  return {
    get() {
      try {
        return storage()?.getItem(key) || null
      } catch {
        return null
      }
    },
    set(folder) {
      try {
        storage()?.setItem(key, folder)
      } catch {
        // Not kept: the next chooser starts at Home.
      }
    }
  }
}

/** Kept for this page only (tests, or where nothing should be stored). */
export function pageFolderMemory(initial: string | null = null): FolderMemory {
  let folder = initial
  return { get: () => folder, set: (value) => (folder = value) }
}
