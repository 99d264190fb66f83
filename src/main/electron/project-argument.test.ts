import { describe, expect, it } from 'vitest'
import { projectFromArgv } from './project-argument'

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
