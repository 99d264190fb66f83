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
      expect(() => policy.check(target), target).toThrow(/outside the folders you chose/)
    }
    expect(() => policy.check(`${root}/a/\0x`)).toThrow(/NUL/)
  })
})
