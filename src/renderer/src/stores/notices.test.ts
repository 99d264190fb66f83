import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../shared/errors'
import { Notices } from './notices.svelte'

describe('Notices', () => {
  it('shows a repeated message once, counting the repeats', () => {
    const notices = new Notices()
    for (let i = 0; i < 3; i++) notices.error('Could not decode', new StudioError('engine-crashed', 'the engine stopped: out of memory'))
    notices.error('Could not sample', new Error('another message'))
    expect(notices.items.map((n) => [n.message, n.count])).toEqual([
      ['the engine stopped: out of memory', 3],
      ['another message', 1]
    ])
  })

  it('says a refused request in plain words, without its code', () => {
    const notices = new Notices()
    notices.error(
      'Could not export',
      new StudioError('invalid-request', 'invalid export:samples request: temperature: Too big: expected number to be <=10')
    )
    expect(notices.items).toMatchObject([{ message: 'Temperature must be at most 10.', code: undefined }])
  })

  it('runs a notice’s action once and closes it', () => {
    const notices = new Notices()
    let undone = 0
    const id = notices.info('Face left out', 'face 2 of photo_002.jpg', { label: 'Undo', run: () => undone++ })
    notices.act(id)
    notices.act(id)
    expect(undone).toBe(1)
    expect(notices.items).toEqual([])
  })
})
