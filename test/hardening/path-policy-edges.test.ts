/**
 * Hardening, part 5b: the edges of the path policy every file-naming request goes through —
 * names that look like "..", links in and out, the chosen folder itself and its neighbours.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/small-setup'
import { PathPolicy } from '../../src/main/host/path-policy'

let root: string
let chosen: string
let policy: PathPolicy

beforeAll(async () => {
  root = await tempDir('policy')
  chosen = path.join(root, 'chosen')
  await fs.mkdir(path.join(chosen, '..faces'), { recursive: true })
  await fs.mkdir(path.join(chosen, 'inner'))
  await fs.mkdir(path.join(root, 'chosen-twin'))
  await fs.symlink(path.join(chosen, 'inner'), path.join(chosen, 'link-in'))
  await fs.symlink(root, path.join(chosen, 'link-out'))
  await fs.symlink(path.join(chosen, 'missing'), path.join(chosen, 'dangling'))
  policy = new PathPolicy([`${chosen}/`])
})

afterAll(() => fs.rm(root, { recursive: true, force: true }))

describe('path policy edges', () => {
  it('accepts the chosen folder, what lies in it and new paths below it', () => {
    for (const target of [
      chosen,
      `${chosen}/`,
      path.join(chosen, '..faces'),
      path.join(chosen, '..faces', 'a.png'),
      path.join(chosen, 'link-in', 'x'),
      path.join(chosen, 'new', 'deeper', 'p.vaeproj'),
      path.join(chosen, 'inner', '..', 'inner')
    ]) {
      expect(() => policy.check(target), target).not.toThrow()
    }
    expect(policy.check(path.join(chosen, 'link-in'))).toBe(path.join(chosen, 'inner'))
  })

  it('refuses what lies outside, however it is spelled', () => {
    for (const target of [
      root,
      path.join(root, 'chosen-twin'),
      `${chosen}-twin`,
      path.join(chosen, '..'),
      path.join(chosen, '..', 'chosen-twin'),
      path.join(chosen, 'link-out'),
      path.join(chosen, 'link-out', 'chosen-twin'),
      path.join(chosen, 'inner', '..', '..'),
      '/',
      'relative'
    ]) {
      expect(() => policy.check(target), target).toThrow(expect.objectContaining({ code: 'forbidden-path' }))
    }
    expect(() => policy.check(`${chosen}/a\0b`)).toThrow(expect.objectContaining({ code: 'invalid-request' }))
  })
})
