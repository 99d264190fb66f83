import { describe, expect, it } from 'vitest'
import { browserFolderMemory } from './folder-memory'

/** The part of the Web Storage API the memory uses, kept in a Map. */
function mapStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value)
  }
}

describe('the folder the chooser remembers', () => {
  it('keeps the last folder in the browser’s storage, for the next page', () => {
    const storage = mapStorage()
    expect(browserFolderMemory(() => storage).get()).toBeNull()
    browserFolderMemory(() => storage).set('/home/ann/Pictures')
    expect(browserFolderMemory(() => storage).get()).toBe('/home/ann/Pictures')
  })

  it('starts at Home, without an error, where the browser refuses storage', () => {
    const refusing = () => {
      throw new DOMException('storage is disabled', 'SecurityError')
    }
    const memory = browserFolderMemory(refusing)
    expect(() => memory.set('/home/ann')).not.toThrow()
    expect(memory.get()).toBeNull()
    expect(browserFolderMemory(() => undefined).get()).toBeNull()
  })
})
