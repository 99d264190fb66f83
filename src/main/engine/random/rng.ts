/**
 * A small seeded generator (sfc32) whose whole state is four 32-bit integers, so a checkpoint can
 * store it and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
 */
export type RngState = [number, number, number, number]

export class Rng {
  private s: Uint32Array

  constructor(seedOrState: number | RngState) {
    if (typeof seedOrState === 'number') {
      this.s = new Uint32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, seedOrState >>> 0])
      for (let i = 0; i < 16; i++) this.nextUint32()
    } else {
      this.s = Uint32Array.from(seedOrState)
    }
  }

  get state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]]
  }

  nextUint32(): number {
    const s = this.s
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0
    s[3] = (s[3] + 1) >>> 0
    s[0] = s[1] ^ (s[1] >>> 9)
    s[1] = (s[2] + (s[2] << 3)) >>> 0
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0
    s[2] = (s[2] + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Standard normal (Box–Muller; one of the pair is discarded to keep the state simple). */
  normal(): number {
    let u = this.next()
    while (u <= Number.EPSILON) u = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }
}
