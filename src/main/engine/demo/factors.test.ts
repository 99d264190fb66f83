import { describe, expect, it } from 'vitest'
import { Rng } from '../random/rng'
import { demoFactorInfo, demoFactorNames, describeDemoFactors, sampleDemoFactors, type DemoFactors } from './factors'

function column(samples: DemoFactors[], name: keyof DemoFactors): number[] {
  return samples.map((f) => Number(f[name]))
}

function correlation(a: number[], b: number[]): number {
  const n = a.length
  const ma = a.reduce((s, v) => s + v, 0) / n
  const mb = b.reduce((s, v) => s + v, 0) / n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) ** 2
    sbb += (b[i] - mb) ** 2
  }
  return sab / Math.sqrt(saa * sbb)
}

describe('demo factors', () => {
  const samples = Array.from(
    { length: 2000 },
    (
      (rng) => () =>
        sampleDemoFactors(rng)
    )(new Rng(42))
  )

  it('stay within their documented ranges and types', () => {
    const bad: string[] = []
    for (const f of samples) {
      for (const name of demoFactorNames) {
        const spec = demoFactorInfo[name]
        const v = f[name]
        const ok = spec.kind === 'boolean' ? typeof v === 'boolean' : typeof v === 'number' && v >= spec.min && v < spec.max
        if (!ok) bad.push(`${name}=${v}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('cover their ranges: booleans about 50/50, continuous spread end to end', () => {
    for (const name of demoFactorNames) {
      const spec = demoFactorInfo[name]
      const values = column(samples, name)
      const mean = values.reduce((s, v) => s + v, 0) / values.length
      expect(Math.abs(mean - (spec.min + spec.max) / 2)).toBeLessThan(0.05 * (spec.max - spec.min))
      if (spec.kind === 'continuous') {
        expect(Math.min(...values)).toBeLessThan(spec.min + 0.01 * (spec.max - spec.min))
        expect(Math.max(...values)).toBeGreaterThan(spec.max - 0.01 * (spec.max - spec.min))
      }
    }
  })

  it('are pairwise uncorrelated (|r| < 0.1 over 2000 samples)', () => {
    for (let i = 0; i < demoFactorNames.length; i++) {
      for (let j = i + 1; j < demoFactorNames.length; j++) {
        const r = correlation(column(samples, demoFactorNames[i]), column(samples, demoFactorNames[j]))
        expect(Math.abs(r), `${demoFactorNames[i]} vs ${demoFactorNames[j]}`).toBeLessThan(0.1)
      }
    }
  })

  it('are a pure function of the generator state', () => {
    const a = new Rng(7)
    const b = new Rng(7)
    expect(sampleDemoFactors(a)).toEqual(sampleDemoFactors(b))
    expect(a.state).toEqual(b.state)
    expect(sampleDemoFactors(new Rng(8))).not.toEqual(sampleDemoFactors(new Rng(7)))
  })

  it('are all described for --help, with their ranges', () => {
    const help = describeDemoFactors()
    expect(help.split('\n')).toHaveLength(demoFactorNames.length)
    for (const name of demoFactorNames) expect(help).toContain(name)
    expect(help).toMatch(/smile\s+-1\.\.1\s/)
    expect(help).toMatch(/glasses\s+true\|false\s/)
  })
})
