import { describe, expect, it } from 'vitest'
import { displayName } from './display-name'

describe('displayName', () => {
  it('reads valid UTF-8 as itself', () => {
    for (const name of ['face.png', 'café.png', '顔.jpg', '🙂.webp', 'line\nbreak.png']) expect(displayName(Buffer.from(name))).toBe(name)
  })

  it('escapes bytes that are not UTF-8 and keeps the valid sequences around them', () => {
    expect(displayName(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x70, 0x6e, 0x67]))).toBe('caf\\xE9.png')
    expect(displayName(Buffer.concat([Buffer.from([0xff]), Buffer.from('é'), Buffer.from([0xc3])]))).toBe('\\xFFé\\xC3')
    // An overlong "/" and a UTF-16 surrogate encoded as UTF-8 are not UTF-8 either.
    expect(displayName(Buffer.from([0xc0, 0xaf]))).toBe('\\xC0\\xAF')
    expect(displayName(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xED\\xA0\\x80')
  })

  it('keeps different raw names apart', () => {
    expect(displayName(Buffer.from([0x61, 0xe9]))).not.toBe(displayName(Buffer.from([0x61, 0xe8])))
  })
})
