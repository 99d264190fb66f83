import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/small-setup'
import { defaultExportFolder } from './export-folder'

let home: string
beforeEach(async () => {
  home = await tempDir('export-home')
})
afterEach(() => fs.rm(home, { recursive: true, force: true }))

describe('the default export folder', () => {
  it('is Pictures/VAE Studio/<project> where the home has a Pictures folder', async () => {
    await fs.mkdir(path.join(home, 'Pictures'))
    expect(defaultExportFolder('/data/.config/vae-studio/projects/Demo faces.vaeproj', { home, env: {} })).toBe(
      path.join(home, 'Pictures', 'VAE Studio', 'Demo faces')
    )
  })

  it('follows the desktop’s own name for the pictures folder (xdg-user-dirs)', async () => {
    await fs.mkdir(path.join(home, 'Bilder'))
    await fs.mkdir(path.join(home, '.config'))
    await fs.writeFile(path.join(home, '.config', 'user-dirs.dirs'), '# written by xdg-user-dirs-update\nXDG_PICTURES_DIR="$HOME/Bilder"\n')
    expect(defaultExportFolder('/p/Faces.vaeproj', { home, env: {} })).toBe(path.join(home, 'Bilder', 'VAE Studio', 'Faces'))
  })

  it('is a visible folder in the home where there is no pictures folder, also with no project open', () => {
    expect(defaultExportFolder('/p/Faces.vaeproj', { home, env: {} })).toBe(path.join(home, 'VAE Studio exports', 'Faces'))
    expect(defaultExportFolder(null, { home, env: {} })).toBe(path.join(home, 'VAE Studio exports'))
  })

  it('makes a safe folder name of a project name', async () => {
    await fs.mkdir(path.join(home, 'Pictures'))
    expect(defaultExportFolder('/p/..hidden:faces.vaeproj', { home, env: {} })).toBe(
      path.join(home, 'Pictures', 'VAE Studio', 'hidden-faces')
    )
  })
})
