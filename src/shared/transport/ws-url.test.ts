import { describe, expect, it } from 'vitest'
import { studioSocketUrl } from './ws-url'

describe('studioSocketUrl', () => {
  it('points at /ws on the page host with the page token', () => {
    expect(studioSocketUrl({ protocol: 'http:', host: '127.0.0.1:8123', search: '?token=a%2Bb&x=1' })).toBe(
      'ws://127.0.0.1:8123/ws?token=a%2Bb'
    )
    expect(studioSocketUrl({ protocol: 'https:', host: 'box:443', search: '?token=t' })).toBe('wss://box:443/ws?token=t')
  })

  it('explains a missing token', () => {
    expect(() => studioSocketUrl({ protocol: 'http:', host: 'h', search: '' })).toThrow(/vae-studio serve/)
  })
})
