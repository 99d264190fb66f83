/**
 * The ground-truth labels written beside a demo folder, so anything trained on the PNGs (here or
 * in another tool) can be checked against the factors that drew them.
 */
import { demoFactorInfo, demoFactorNames, type DemoFactors } from './factors'

export interface DemoLabel {
  file: string
  factors: DemoFactors
}

/** Booleans are written as 1/0 so every column is numeric (usable directly as a regression target). */
export function demoLabelsCsv(labels: readonly DemoLabel[]): string {
  const rows = [['file', ...demoFactorNames].join(',')]
  for (const { file, factors } of labels) {
    const values = demoFactorNames.map((name) => {
      const v = factors[name]
      return typeof v === 'boolean' ? (v ? '1' : '0') : String(v)
    })
    rows.push([file, ...values].join(','))
  }
  return rows.join('\n') + '\n'
}

export function demoLabelsJson(labels: readonly DemoLabel[], seed: number, size: number): unknown {
  return {
    generator: 'vae-studio demo faces',
    seed,
    size,
    count: labels.length,
    factors: demoFactorInfo,
    faces: labels.map(({ file, factors }) => ({ file, ...factors }))
  }
}
