/**
 * The automatic labels face finding stored for every face (expression, age, gender), turned into
 * the two groups of images an attribute vector is the difference of: "smiling" is faces the
 * expression net calls happy (≥ 0.8) against faces it does not (≤ 0.2); "older" the top quarter by
 * estimated age against the bottom quarter; "female" faces it calls female against male (≥ 0.8 sure).
 */
import { StudioError } from '../../../shared/errors'
import type { FaceRecord, IndexEntry } from './dataset-index'

export const faceLabels = ['happy', 'age', 'gender'] as const
export type FaceLabel = (typeof faceLabels)[number]

/** What an attribute made from a label is called unless the user names it. */
export const labelAttributeNames: Record<FaceLabel, string> = { happy: 'smiling', age: 'older', gender: 'female' }

/** Fewer images than this on either side make a direction of noise. */
const minGroup = 3

interface LabelledRow {
  row: number
  face: FaceRecord
}

/** Dataset rows imported by face finding, with what the nets said of them. */
export function labelledRows(files: readonly IndexEntry[]): LabelledRow[] {
  return files.flatMap((entry) =>
    entry.status === 'imported' && entry.index !== undefined && entry.face?.expressions ? [{ row: entry.index, face: entry.face }] : []
  )
}

export function labelGroups(
  files: readonly IndexEntry[],
  label: FaceLabel
): { withIndices: number[]; withoutIndices: number[]; rule: string } {
  const rows = labelledRows(files)
  if (rows.length === 0) {
    throw new StudioError('invalid-request', 'this dataset has no face labels: import the folder with face finding on to label its faces')
  }
  const pick = (test: (face: FaceRecord) => boolean) => rows.filter(({ face }) => test(face)).map(({ row }) => row)
  let groups: { withIndices: number[]; withoutIndices: number[]; rule: string }
  if (label === 'happy') {
    const happy = (face: FaceRecord) => face.expressions?.happy ?? 0
    groups = { withIndices: pick((f) => happy(f) >= 0.8), withoutIndices: pick((f) => happy(f) <= 0.2), rule: 'happy ≥ 0.8 against ≤ 0.2' }
  } else if (label === 'age') {
    const ages = rows.map(({ face }) => face.age ?? 0).sort((a, b) => a - b)
    const low = ages[Math.floor((ages.length - 1) * 0.25)]
    const high = ages[Math.ceil((ages.length - 1) * 0.75)]
    groups = {
      withIndices: pick((f) => (f.age ?? 0) >= high),
      withoutIndices: pick((f) => (f.age ?? 0) <= low),
      rule: `age ≥ ${high.toFixed(0)} against ≤ ${low.toFixed(0)}`
    }
  } else {
    const sure = (face: FaceRecord, gender: 'male' | 'female') => face.gender === gender && (face.genderProbability ?? 0) >= 0.8
    groups = {
      withIndices: pick((f) => sure(f, 'female')),
      withoutIndices: pick((f) => sure(f, 'male')),
      rule: 'female against male, each ≥ 0.8 sure'
    }
  }
  if (groups.withIndices.length < minGroup || groups.withoutIndices.length < minGroup) {
    throw new StudioError(
      'invalid-request',
      `too few faces for "${labelAttributeNames[label]}" (${groups.rule}): ${groups.withIndices.length} with and ${groups.withoutIndices.length} without; at least ${minGroup} of each are needed`
    )
  }
  return groups
}
