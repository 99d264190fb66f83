import { describe, expect, it } from 'vitest'
import { indexListFlag, numberFlag, parseCommand } from './options'

describe('CLI option parsing', () => {
  it('takes a negative number as the value of a flag', () => {
    const { values } = parseCommand(
      ['p', '--amounts', '-1,0,1', '--beta', '-0.5'],
      { amounts: { type: 'string' }, beta: { type: 'string' } },
      { min: 1, max: 1, usage: 'x' }
    )
    expect(values.amounts).toBe('-1,0,1')
    expect(values.beta).toBe('-0.5')
  })

  it('names the flag and the value in its errors', () => {
    expect(() => numberFlag('epochs', 'many', { min: 1, max: 10, integer: true })).toThrow('--epochs expects a whole number, not "many"')
    expect(() => numberFlag('lr', '20', { min: 0, max: 10 })).toThrow('--lr must be between 0 and 10, not 20')
    expect(() => indexListFlag('a', '1,x')).toThrow(/image numbers separated by commas/)
    expect(indexListFlag('a', '3, 7,12')).toEqual([3, 7, 12])
    expect(() => parseCommand(['--nope'], {}, { min: 0, max: 0, usage: 'cmd' })).toThrow(/usage: cmd/)
  })
})
