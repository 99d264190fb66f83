import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from './base64'

describe('base64', () => {
  it('matches Node for every length remainder and every byte value', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 255, 256, 257]) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + length) % 256)
      const text = bytesToBase64(bytes)
      expect(text).toBe(Buffer.from(bytes).toString('base64'))
      expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes))
    }
  })

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('abc')).toThrow(/multiple of 4/)
    expect(() => base64ToBytes('ab!d')).toThrow(/invalid base64 character/)
    expect(() => base64ToBytes('abé=')).toThrow()
  })
})
