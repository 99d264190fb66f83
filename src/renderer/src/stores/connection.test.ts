import { describe, expect, it } from 'vitest'
import type { ConnectionState } from '../../../shared/transport/connection-state'
import { ConnectionStatus, studioAddress } from './connection.svelte'

function connection() {
  let listener: (state: ConnectionState) => void = () => {}
  return {
    onConnectionState: (l: (state: ConnectionState) => void) => {
      listener = l
      return () => {}
    },
    emit: (state: ConnectionState) => listener(state)
  }
}

describe('ConnectionStatus', () => {
  it('follows the transport’s state', () => {
    const link = connection()
    const status = new ConnectionStatus(link, () => {})
    link.emit({ state: 'reconnecting', attempts: 2, retryMs: 1000 })
    expect(status.state).toEqual({ state: 'reconnecting', attempts: 2, retryMs: 1000 })
    link.emit({ state: 'refused', status: 401 })
    expect(status.state).toEqual({ state: 'refused', status: 401 })
  })

  it('opens the pasted address, also when the whole printed line was pasted', () => {
    const opened: string[] = []
    const status = new ConnectionStatus(connection(), (url) => opened.push(url))
    status.address = 'VAE Studio is running: open http://127.0.0.1:5599/?token=abc123'
    status.openAddress()
    expect(opened).toEqual(['http://127.0.0.1:5599/?token=abc123'])
    expect(status.error).toBeNull()
  })

  it('says what a studio address looks like instead of opening something else', () => {
    const opened: string[] = []
    const status = new ConnectionStatus(connection(), (url) => opened.push(url))
    for (const text of ['', '127.0.0.1:5599', 'http://127.0.0.1:5599/', 'javascript:alert(1)?token=x']) {
      status.address = text
      status.openAddress()
      expect(status.error, text).toMatch(/not a studio address/)
    }
    expect(opened).toEqual([])
    expect(studioAddress('https://box.local:8443/?token=t')).toBe('https://box.local:8443/?token=t')
  })
})
