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

  it('keeps what the user typed when the opening listing only begins after it', async () => {
    let answerPlaces!: (value: { places: []; howToAdd: null; start: string }) => void
    const fake = fakeStudio({
      filesPlaces: () => new Promise((resolve) => (answerPlaces = resolve)),
      filesList: ({ path }) => ({ path, parent: null, entries: [] })
    })
    const chooser = new FolderChooser(fake.api)
    void chooser.ask('export-model', '/home/ann')
    expect(chooser.loading).toBe(true)
    chooser.edit('/mnt/da')
    answerPlaces({ places: [], howToAdd: null, start: '/home/ann/Pictures/VAE Studio' })
    await settle()
    expect(chooser.typed).toBe('/mnt/da')
    expect(chooser.path).toBe('/home/ann/Pictures/VAE Studio')
    expect(chooser.loading).toBe(false)
    chooser.edit('/mnt/data')
    await chooser.browse(chooser.typed)
    expect(chooser.path).toBe('/mnt/data')
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

describe('FolderChooser places and exports', () => {
  const places = [
    { label: 'Home', path: '/home/ann' },
    { label: 'Allowed with --allow', path: '/mnt/data' }
  ]

  it('offers the host’s places and says how to add a folder', async () => {
    const fake = fakeStudio({
      filesPlaces: () => ({ places, howToAdd: 'npm run serve -- --allow <folder>', start: null }),
      filesList: ({ path }) => ({ path, parent: null, entries: [] })
    })
    const chooser = new FolderChooser(fake.api)
    void chooser.ask('import', '/home/ann')
    await settle()
    expect(chooser.places).toEqual(places)
    expect(chooser.howToAdd).toBe('npm run serve -- --allow <folder>')
    expect(fake.callsOf('filesList')).toEqual([{ path: '/home/ann' }])
  })

  it('opens an export in the host’s export folder, with a folder name not taken there', async () => {
    const exports = '/home/ann/Pictures/VAE Studio/Faces'
    const fake = fakeStudio({
      filesPlaces: () => ({ places, howToAdd: null, start: exports }),
      filesList: ({ path }) => ({
        path,
        parent: '/home/ann/Pictures/VAE Studio',
        entries: [
          { name: 'Faces-generated', path: `${path}/Faces-generated`, kind: 'dir' },
          { name: 'Faces-generated 2', path: `${path}/Faces-generated 2`, kind: 'dir' }
        ]
      })
    })
    const chooser = new FolderChooser(fake.api)
    chooser.exportName = 'Faces-generated'
    const chosen = chooser.ask('export-samples', '/home/ann/.config/vae-studio/projects')
    await settle()
    expect(fake.callsOf('filesList')).toEqual([{ path: exports }])
    expect(chooser.target).toBe(`${exports}/Faces-generated 3`)
    chooser.choose()
    expect(await chosen).toBe(`${exports}/Faces-generated 3`)
  })

  it('stays where the user went when the export folder is named after they moved', async () => {
    let answerPlaces!: (value: { places: typeof places; howToAdd: null; start: string }) => void
    const fake = fakeStudio({
      filesPlaces: () => new Promise((resolve) => (answerPlaces = resolve)),
      filesList: ({ path }) => ({ path, parent: null, entries: [] })
    })
    const chooser = new FolderChooser(fake.api)
    void chooser.ask('export-model', '/home/ann')
    await chooser.browse('/mnt/data')
    answerPlaces({ places, howToAdd: null, start: '/home/ann/Pictures/VAE Studio' })
    await settle()
    expect(chooser.path).toBe('/mnt/data')
    expect(fake.callsOf('filesList')).toEqual([{ path: '/mnt/data' }])
  })
})
