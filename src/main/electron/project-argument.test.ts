import { describe, expect, it } from 'vitest'
import { imageFolderFromArgv, projectFromArgv } from './project-argument'

describe('projectFromArgv', () => {
  it('finds a .vaeproj argument, relative to the launch folder', () => {
    expect(projectFromArgv(['/opt/vae/vae-studio', 'Faces.vaeproj/'], '/home/me')).toBe('/home/me/Faces.vaeproj')
    expect(projectFromArgv(['electron', '.', '--allow-file-access-from-files', '/data/A.VAEPROJ'], '/x')).toBe('/data/A.VAEPROJ')
  })

  it('ignores the executable, switches and other arguments', () => {
    expect(projectFromArgv(['/opt/trap.vaeproj'], '/')).toBeNull()
    expect(projectFromArgv(['app', '--user-data-dir=/tmp/x.vaeproj', 'notes.txt'], '/')).toBeNull()
  })
})

describe('imageFolderFromArgv', () => {
  const folders = new Set(['/home/u/faces', '/opt/app'])
  const isFolder = (p: string) => folders.has(p)

  it('finds a folder of images given at launch, not the app itself nor a switch', () => {
    expect(imageFolderFromArgv(['electron', '/opt/app', '/home/u/faces'], '/', '/opt/app', isFolder)).toBe('/home/u/faces')
    expect(imageFolderFromArgv(['electron', '/opt/app'], '/', '/opt/app', isFolder)).toBeNull()
    expect(imageFolderFromArgv(['electron', '/opt/app', '--inspect', '/home/u/missing'], '/', '/opt/app', isFolder)).toBeNull()
    expect(imageFolderFromArgv(['electron', '.', 'faces'], '/home/u', '/opt/app', isFolder)).toBe('/home/u/faces')
  })
})
