import { describe, expect, it } from 'vitest'
import { exportFileName } from './export-name'

describe('exportFileName', () => {
  it('names the export and stamps it with a file-safe time', () => {
    expect(exportFileName('Sample grid', 'png', new Date('2024-05-01T10:20:30.456Z'))).toBe(
      'vae-studio-sample-grid-2024-05-01T10-20-30-456Z.png'
    )
    expect(exportFileName('A − B + C', 'gif', new Date(0))).toBe('vae-studio-a-b-c-1970-01-01T00-00-00-000Z.gif')
  })
})
