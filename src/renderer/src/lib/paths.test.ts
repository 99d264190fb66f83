import { describe, expect, it } from 'vitest'
import { baseName, joinPath, projectName, safeFolderName } from './paths'

describe('paths', () => {
  it('joins with the separator the folder already uses', () => {
    expect(joinPath('/home/ann', 'Faces.vaeproj')).toBe('/home/ann/Faces.vaeproj')
    expect(joinPath('/home/ann/', 'x')).toBe('/home/ann/x')
    expect(joinPath('C:\\Users\\ann', 'x')).toBe('C:\\Users\\ann\\x')
  })

  it('names projects after their folder', () => {
    expect(projectName('/a/b/My faces.vaeproj')).toBe('My faces')
    expect(projectName('C:\\p\\Faces.VAEPROJ\\')).toBe('Faces')
    expect(baseName('/a/b/')).toBe('b')
  })

  it('keeps separators and leading dots out of a typed name', () => {
    expect(safeFolderName('  ../etc/passwd ')).toBe('-etc-passwd')
    expect(safeFolderName('a:b*c')).toBe('a-b-c')
  })
})
