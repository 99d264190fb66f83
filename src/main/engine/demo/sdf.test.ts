import { describe, expect, it } from 'vitest'
import { above, arc, box, circle, ellipse, intersection, ring, segment, union, type Shape } from './sdf'

/** Distance of one shape at one point (shapes fill rows; a row of one sample is a point). */
function at(shape: Shape, x: number, y: number): number {
  const out = new Float64Array(1)
  shape(x, 1, y, 1, out)
  return out[0]
}

describe('signed distances', () => {
  it('are exact for circles, rings and boxes', () => {
    expect(at(circle(1, 2, 3), 1, 2)).toBeCloseTo(-3)
    expect(at(circle(1, 2, 3), 4, 6)).toBeCloseTo(2)
    expect(at(ring(0, 0, 4, 0.5), 4, 0)).toBeCloseTo(-0.5)
    expect(at(ring(0, 0, 4, 0.5), 0, 0)).toBeCloseTo(3.5)
    expect(at(box(0, 0, 4, 2), 2, 1)).toBeCloseTo(-1)
    expect(at(box(0, 0, 4, 2), 7, 6)).toBeCloseTo(5)
    expect(at(box(0, 0, 4, 2, 1), 5, 3)).toBeCloseTo(Math.SQRT2 * 2 - 1)
  })

  it('treat an ellipse exactly on its outline and as a circle when round', () => {
    expect(at(ellipse(0, 0, 5, 5), 8, 0)).toBeCloseTo(3)
    expect(at(ellipse(0, 0, 5, 5), 0, 0)).toBeCloseTo(-5)
    for (let a = 0; a < 6.28; a += 0.3) expect(at(ellipse(1, -1, 14, 17), 1 + 14 * Math.cos(a), -1 + 17 * Math.sin(a))).toBeCloseTo(0)
    expect(at(ellipse(0, 0, 14, 17), 15, 0)).toBeCloseTo(1, 1)
    expect(at(ellipse(0, 0, 14, 17), 0, -18)).toBeCloseTo(1, 1)
  })

  it('measure strokes from the segment or curve, round at the ends', () => {
    expect(at(segment(0, 0, 4, 0, 0.5), 2, 1)).toBeCloseTo(0.5)
    expect(at(segment(0, 0, 4, 0, 0.5), 7, 4)).toBeCloseTo(4.5)
    // A smile: ends sag/2 above the centre line, middle sag/2 below it.
    const smile = arc(0, 10, 5, 3, 0.5)
    expect(at(smile, 0, 11.5)).toBeCloseTo(-0.5)
    expect(at(smile, 5, 8.5)).toBeCloseTo(-0.5)
    expect(at(smile, -5, 8.5)).toBeCloseTo(-0.5)
    expect(at(smile, 0, 8.5)).toBeGreaterThan(1)
    expect(at(arc(0, 0, 5, 0, 0.5), 8, 0)).toBeCloseTo(2.5)
  })

  it('split the plane at a line or hairline, inside above it', () => {
    expect(at(above(3, 0), 10, 1)).toBeCloseTo(-2)
    expect(at(above(3, 0), -4, 5)).toBeCloseTo(2)
    expect(at(above(-10, 0.05), 0, -11)).toBeCloseTo(-1)
    expect(at(above(-10, 0.05), 10, -5)).toBeCloseTo(0)
  })

  it('combine by union and intersection', () => {
    const a = circle(-2, 0, 1)
    const b = circle(2, 0, 1)
    expect(at(union(a, b), -2, 0)).toBeCloseTo(-1)
    expect(at(union(a, b), 2, 0)).toBeCloseTo(-1)
    expect(at(intersection(circle(0, 0, 3), above(0, 0)), 0, -1)).toBeCloseTo(-1)
    expect(at(intersection(circle(0, 0, 3), above(0, 0)), 0, 1)).toBeCloseTo(1)
  })

  it('fill a whole row the same as point by point', () => {
    const shapes = [ellipse(0, 1, 14, 17), union(ring(-5, 0, 4, 0.5), segment(-1, 0, 1, 0, 0.5)), arc(0, 9, 5, -2, 0.9)]
    for (const shape of shapes) {
      const row = new Float64Array(40)
      shape(-20, 1, 3.25, 40, row)
      row.forEach((d, i) => expect(d).toBeCloseTo(at(shape, -20 + i, 3.25), 10))
    }
  })
})
