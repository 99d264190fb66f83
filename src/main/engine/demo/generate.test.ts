import { describe, expect, it } from 'vitest'
import { generateDemoFaces, iterateDemoFaces } from './generate'
import { renderDemoFace } from './render-face'

/** Byte comparison without vitest's element-by-element deep equality (slow on big arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))
}

describe('generateDemoFaces', () => {
  it('is a pure function of the seed', () => {
    const a = generateDemoFaces(40, 123)
    const b = generateDemoFaces(40, 123)
    expect(a.images).toHaveLength(40 * 64 * 64 * 3)
    expect(a.factors).toHaveLength(40)
    expect(sameBytes(b.images, a.images)).toBe(true)
    expect(b.factors).toEqual(a.factors)

    const c = generateDemoFaces(40, 124)
    expect(sameBytes(c.images, a.images)).toBe(false)
    expect(c.factors[0]).not.toEqual(a.factors[0])
  })

  it('holds each face exactly as renderDemoFace draws it from its factors', () => {
    const { images, factors } = generateDemoFaces(10, 5, 32)
    const bytes = 32 * 32 * 3
    factors.forEach((f, i) => {
      expect(sameBytes(images.subarray(i * bytes, (i + 1) * bytes), renderDemoFace(f, 32))).toBe(true)
    })
  })

  it('draws a prefix of a longer set, and the same faces one at a time', () => {
    const short = generateDemoFaces(5, 77)
    const long = generateDemoFaces(12, 77)
    expect(long.factors.slice(0, 5)).toEqual(short.factors)
    const streamed = [...iterateDemoFaces(5, 77)]
    streamed.forEach(({ image, factors }, i) => {
      expect(factors).toEqual(short.factors[i])
      expect(sameBytes(image, short.images.subarray(i * 64 * 64 * 3, (i + 1) * 64 * 64 * 3))).toBe(true)
    })
  })

  it('draws faces that differ from one another', () => {
    const { images } = generateDemoFaces(20, 9)
    const bytes = 64 * 64 * 3
    const distinct = new Set<string>()
    for (let i = 0; i < 20; i++) {
      distinct.add(Buffer.from(images.subarray(i * bytes, (i + 1) * bytes)).toString('base64'))
    }
    expect(distinct.size).toBe(20)
  })

  it('rejects a count that is not a whole number', () => {
    expect(() => generateDemoFaces(-1, 1)).toThrow(RangeError)
    expect(() => generateDemoFaces(1.5, 1)).toThrow(RangeError)
  })
})
