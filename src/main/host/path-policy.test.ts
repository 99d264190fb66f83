import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/small-setup'
import { PathPolicy } from './path-policy'

let root: string

beforeAll(async () => {
  root = await tempDir('policy')
  await fs.mkdir(path.join(root, 'a', 'inner'), { recursive: true })
  await fs.mkdir(path.join(root, 'b'))
  await fs.symlink(path.join(root, 'b'), path.join(root, 'a', 'link-out'))
})
afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('path policy', () => {
  it('allows chosen folders and what is inside them, also paths that do not exist yet', () => {
    const policy = new PathPolicy([path.join(root, 'a')])
    expect(policy.check(path.join(root, 'a'))).toBe(path.join(root, 'a'))
    expect(policy.check(path.join(root, 'a', 'inner'))).toBe(path.join(root, 'a', 'inner'))
    expect(policy.check(path.join(root, 'a', 'new', 'x.vaeproj'))).toBe(path.join(root, 'a', 'new', 'x.vaeproj'))
  })

  it('refuses siblings, parents, dot-dot tricks, symlinks out and NUL bytes', () => {
    const policy = new PathPolicy([path.join(root, 'a')])
    for (const target of [
      path.join(root, 'b'),
      root,
      path.join(root, 'a', '..', 'b'),
      path.join(root, 'a', 'link-out'),
      path.join(root, 'a', 'link-out', 'x'),
      `${root}/a2`
    ]) {
      expect(() => policy.check(target), target).toThrow(/outside the folders this studio may open/)
    }
    expect(() => policy.check(`${root}/a/\0x`)).toThrow(/NUL/)
  })

  it('names the folders it can open and the exact command that adds the refused one', () => {
    const policy = new PathPolicy(
      [
        { label: 'Home', path: path.join(root, 'a') },
        { label: 'Where the studio started', path: path.join(root, 'a', 'inner') }
      ],
      { allowCommand: (folder) => `npm run serve -- --allow ${folder ?? '<folder>'}` }
    )
    let message = ''
    try {
      policy.check(path.join(root, 'b', 'photo.jpg'))
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toBe(
      `${path.join(root, 'b', 'photo.jpg')} is outside the folders this studio may open; it can open ` +
        `${path.join(root, 'a')} (home), ${path.join(root, 'a', 'inner')} (where the studio started). ` +
        // A file or a path that does not exist: the nearest folder above it is the one to allow.
        `To open it, stop the studio (Ctrl+C where it runs) and start it again with: npm run serve -- --allow ${path.join(root, 'b')}`
    )
  })

  it('says nothing about a command where none can add a folder (the desktop app: its dialogs do)', () => {
    const policy = new PathPolicy([path.join(root, 'a')])
    expect(() => policy.check(path.join(root, 'b'))).toThrow(
      expect.objectContaining({ message: `${path.join(root, 'b')} is outside the folders this studio may open.` })
    )
  })

  it('lists the labelled roots as places, once each, and no unlabelled ones', () => {
    const policy = new PathPolicy([{ label: 'Home', path: path.join(root, 'a') }, path.join(root, 'b')])
    policy.allow(path.join(root, 'a'), 'Where the studio started')
    policy.allow(path.join(root, 'b', '..', 'a', 'inner'), 'Allowed with --allow')
    expect(policy.places()).toEqual([
      { label: 'Home', path: path.join(root, 'a') },
      { label: 'Allowed with --allow', path: path.join(root, 'a', 'inner') }
    ])
  })

  it('offers the folder above only where that one may be shown too', () => {
    const policy = new PathPolicy([path.join(root, 'a'), path.join(root, 'a', 'inner')])
    expect(policy.parentOf(path.join(root, 'a', 'inner'))).toBe(path.join(root, 'a'))
    expect(policy.parentOf(path.join(root, 'a'))).toBeNull()
    expect(new PathPolicy(['/']).parentOf('/')).toBeNull()
  })
})
