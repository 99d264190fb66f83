import { describe, expect, it } from 'vitest'
import { defineCommand } from './command-spec'
import { numberFlag, parseCommand } from './options'

const spec = defineCommand({
  name: 'try',
  summary: 'a test command',
  usage: '<project> [--amounts -1,0,1] [--beta 1]',
  positionals: { min: 1, max: 1 },
  options: {
    amounts: { type: 'string', value: '<x,…>', help: 'amounts' },
    beta: { type: 'string', value: '<β>', help: 'beta' }
  }
})

describe('CLI option parsing', () => {
  it('takes a negative number as the value of a flag', () => {
    const { values } = parseCommand(['p', '--amounts', '-1,0,1', '--beta', '-0.5'], spec)
    expect(values.amounts).toBe('-1,0,1')
    expect(values.beta).toBe('-0.5')
  })

  it('names the flag and the value in its errors, and points at --help', () => {
    expect(() => numberFlag('epochs', 'many', { min: 1, max: 10, integer: true })).toThrow('--epochs expects a whole number, not "many"')
    expect(() => numberFlag('lr', '20', { min: 0, max: 10 })).toThrow('--lr must be between 0 and 10, not 20')
    expect(() => parseCommand(['p', '--nope'], spec)).toThrow(
      /^unknown option --nope\nusage: vae-studio try <project>[\s\S]*vae-studio try --help/
    )
    expect(() => parseCommand([], spec)).toThrow(/^usage: vae-studio try/)
  })
})
