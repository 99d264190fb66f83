/**
 * The limits of a number field, read from the zod schema the host validates the request with, so
 * the page refuses what the engine would refuse, with the same numbers, as the user types.
 */
import type { z } from 'zod'
import { formatCount } from './format'

export interface NumberLimits {
  min: number
  max: number
  /** Whole numbers only. */
  whole: boolean
  /** The minimum itself is refused ("above 0"). */
  minExclusive: boolean
}

interface NumberCheck {
  check: string
  value?: number
  inclusive?: boolean
  format?: string
}

/** Reads min, max and "whole number" from a number schema, through defaults, optionals and arrays. */
export function limitsOf(schema: z.ZodType): NumberLimits {
  const def = schema.def as { type: string; innerType?: z.ZodType; element?: z.ZodType; checks?: Array<{ _zod: { def: NumberCheck } }> }
  if (def.innerType) return limitsOf(def.innerType)
  if (def.element) return limitsOf(def.element)
  if (def.type !== 'number') throw new Error(`not a number schema: ${def.type}`)
  const limits: NumberLimits = { min: -Infinity, max: Infinity, whole: false, minExclusive: false }
  for (const { _zod } of def.checks ?? []) {
    const check = _zod.def
    if (check.check === 'greater_than' && check.value !== undefined) {
      limits.min = check.value
      limits.minExclusive = !check.inclusive
    } else if (check.check === 'less_than' && check.value !== undefined) limits.max = check.value
    else if (check.check === 'number_format' && check.format?.includes('int')) limits.whole = true
  }
  return limits
}

/** A narrower range the page asks for (e.g. grid columns), still within the engine's. */
export function within(limits: NumberLimits, narrower: Partial<Pick<NumberLimits, 'min' | 'max'>>): NumberLimits {
  return { ...limits, min: Math.max(limits.min, narrower.min ?? -Infinity), max: Math.min(limits.max, narrower.max ?? Infinity) }
}

/** The range in words, e.g. "goes from 0 to 10", "is a whole number from 1 to 64", "is above 0 and at most 10". */
export function describeLimits({ min, max, whole, minExclusive }: NumberLimits): string {
  const kind = whole ? 'is a whole number' : 'goes'
  if (minExclusive)
    return `${whole ? 'is a whole number' : 'is'} above ${formatCount(min)}${Number.isFinite(max) ? ` and at most ${formatCount(max)}` : ''}`
  if (Number.isFinite(min) && Number.isFinite(max)) return `${kind} from ${formatCount(min)} to ${formatCount(max)}`
  if (Number.isFinite(min)) return `${whole ? 'is a whole number of' : 'is'} at least ${formatCount(min)}`
  if (Number.isFinite(max)) return `${whole ? 'is a whole number of' : 'is'} at most ${formatCount(max)}`
  return whole ? 'is a whole number' : 'is a number'
}

export function isValidNumber(value: unknown, limits: NumberLimits): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false
  if (limits.whole && !Number.isInteger(value)) return false
  if (limits.minExclusive ? value <= limits.min : value < limits.min) return false
  return value <= limits.max
}

/** What is wrong with the value, in plain words naming the field; null when it is fine. */
export function numberProblem(label: string, value: unknown, limits: NumberLimits): string | null {
  if (isValidNumber(value, limits)) return null
  return `${label} ${describeLimits(limits)}`
}
