import { describe, expect, it } from 'vitest'
import { fakeStudio } from '../../../../test/support/fake-studio'
import { listen } from './store-events'

describe('listen', () => {
  it('subscribes every declared event and unsubscribes them all on dispose', () => {
    const fake = fakeStudio()
    const seen: string[] = []
    const off = listen(fake.api, {
      'train:state': (s) => seen.push(s.state),
      'train:notice': (n) => seen.push(n.message)
    })
    fake.emit('train:state', { state: 'running' })
    fake.emit('train:notice', { step: 1, message: 'rolled back' })
    off()
    fake.emit('train:state', { state: 'stopped' })
    expect(seen).toEqual(['running', 'rolled back'])
  })
})
