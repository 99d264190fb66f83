import { describe, expect, it } from 'vitest'
import { desktopProblem, type PreflightFacts } from './desktop-preflight'

const sandbox = { uid: 1000, mode: 0o100755, path: '/app/node_modules/electron/dist/chrome-sandbox' }
const linux: PreflightFacts = { nodeVersion: 'v22.12.0', platform: 'linux', binaryInstalled: true, chromeSandbox: sandbox }

describe('desktopProblem', () => {
  it('asks for Node 22.12+ only when the binary still has to be downloaded', () => {
    expect(desktopProblem({ ...linux, nodeVersion: 'v20.19.0', binaryInstalled: false })).toMatch(
      /needs Node 22\.12 or newer.*npm run serve/
    )
    expect(desktopProblem({ ...linux, nodeVersion: 'v22.11.0', binaryInstalled: false })).toMatch(/Node 22\.12/)
    expect(desktopProblem({ ...linux, nodeVersion: 'v20.19.0', binaryInstalled: true })).toBeNull()
    expect(desktopProblem({ ...linux, nodeVersion: 'v24.1.0', binaryInstalled: false })).toBeNull()
  })

  it('gives the chrome-sandbox fix where user namespaces are restricted and the helper is not setuid root', () => {
    const ubuntu = { ...linux, apparmorRestrictsUserns: '1\n' }
    expect(desktopProblem(ubuntu)).toContain(`sudo chmod 4755 ${sandbox.path}`)
    expect(desktopProblem({ ...linux, unprivilegedUsernsClone: '0' })).toContain('sudo chown root:root')
    expect(desktopProblem({ ...ubuntu, chromeSandbox: { ...sandbox, uid: 0, mode: 0o104755 } })).toBeNull()
    expect(desktopProblem({ ...ubuntu, chromeSandbox: { ...sandbox, uid: 0, mode: 0o100755 } })).not.toBeNull()
    expect(desktopProblem({ ...linux, apparmorRestrictsUserns: '0' })).toBeNull()
    expect(desktopProblem({ ...ubuntu, platform: 'darwin' })).toBeNull()
  })
})
