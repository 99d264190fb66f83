/**
 * Host validation errors in plain words. A request the page let through but the host refused
 * arrives as "invalid export:samples request: temperature: Too big: expected number to be <=10";
 * the user reads "Temperature must be at most 10".
 */
import { formatCount } from './format'

/** The studio's own names for request fields, where they differ from the field's words. */
const fieldNames: Record<string, string> = {
  count: 'The number of images',
  delayMs: 'Frame time (ms)',
  minFaceSize: 'Smallest face',
  latentDim: 'Latent size',
  valFraction: 'Validation share',
  beta: 'β',
  steps: 'Warm-up steps',
  amounts: 'The amount'
}

/** The sentence for one zod issue message (zod 4's English wording). */
function plainRule(message: string): string {
  const bound = /^Too (big|small): expected \w+ to (?:be|have) ([<>]=?)(\S+)/.exec(message)
  if (bound) {
    const [, , op, value] = bound
    const words = { '<=': 'at most', '<': 'below', '>=': 'at least', '>': 'above' }[op] ?? op
    return `must be ${words} ${Number.isFinite(Number(value)) ? formatCount(Number(value)) : value}`
  }
  if (/expected int/.test(message)) return 'must be a whole number'
  if (/expected number, received (NaN|null|undefined|string)/.test(message)) return 'needs a number'
  return message.replace(/^Invalid input: /, 'is not valid: ')
}

function fieldName(path: string): string {
  const key =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path
  if (fieldNames[key]) return fieldNames[key]
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A sentence per refused field, or null when the message is not a host validation error. */
export function plainInvalidRequest(message: string): string | null {
  const match = /^invalid \S+ request: (.*)$/s.exec(message)
  if (!match) return null
  return match[1]
    .split('; ')
    .map((issue) => {
      const cut = issue.indexOf(': ')
      if (cut < 0) return issue
      return `${fieldName(issue.slice(0, cut))} ${plainRule(issue.slice(cut + 2))}`
    })
    .map((sentence) => `${sentence}.`)
    .join(' ')
}
