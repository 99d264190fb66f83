import { describe, expect, it } from 'vitest'
import type { StudioApi } from '../../../shared/contract'
import { StudioError } from '../../../shared/errors'
import { fakeStudio, settle } from '../../../../test/support/fake-studio'
import { FolderChooser } from './folder-chooser.svelte'

type Listing = Awaited<ReturnType<StudioApi['filesList']>>

/** filesList answered by hand, request by request, in whatever order the test chooses. */
function handAnswered() {
  const pending = new Map<string, { resolve(listing: Listing): void; reject(err: unknown): void }>()
  const fake = fakeStudio({
    filesList: ({ path }: { path: string }) => new Promise<Listing>((resolve, reject) => pending.set(path, { resolve, reject }))
  })
  const answer = async (path: string, outcome: 'listing' | 'refused'): Promise<void> => {
    const request = pending.get(path)!
    if (outcome === 'listing') request.resolve({ path, parent: '/', entries: [{ name: 'faces', path: `${path}/faces`, kind: 'dir' }] })
    else request.reject(new StudioError('forbidden-path', `${path} is outside the allowed folders`))
    await settle()
  }
  return { chooser: new FolderChooser(fake.api), answer }
}

describe('FolderChooser', () => {
  it('shows the folder the user typed even when the opening listing answers after it', async () => {
    const { chooser, answer } = handAnswered()
    const chosen = chooser.ask('import', '/home/projects')
    void chooser.browse('/data/photos')
    await answer('/data/photos', 'listing')
    await answer('/home/projects', 'listing')
    expect(chooser.path).toBe('/data/photos')
    expect(chooser.typed).toBe('/data/photos')
    expect(chooser.loading).toBe(false)
    chooser.choose()
    expect(await chosen).toBe('/data/photos')
  })

  it('keeps what the user is typing when the opening listing answers before they press Go', async () => {
    const { chooser, answer } = handAnswered()
    void chooser.ask('import', '/home/projects')
    chooser.typed = '/data/pho'
    await answer('/home/projects', 'listing')
    expect(chooser.path).toBe('/home/projects')
    expect(chooser.typed).toBe('/data/pho')
  })

  it('keeps loading until the latest listing answers, and ignores a stale refusal', async () => {
    const { chooser, answer } = handAnswered()
    void chooser.ask('import', '/etc')
    void chooser.browse('/data')
    await answer('/etc', 'refused')
    expect(chooser.error).toBeNull()
    expect(chooser.loading).toBe(true)
    await answer('/data', 'listing')
    expect(chooser.loading).toBe(false)
    expect(chooser.path).toBe('/data')
  })

  it('reports the latest listing when it is refused', async () => {
    const { chooser, answer } = handAnswered()
    void chooser.ask('import', '/etc')
    await answer('/etc', 'refused')
    expect(chooser.error).toBe('/etc is outside the allowed folders')
  })
})
