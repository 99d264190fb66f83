/**
 * Which of a photo's detected faces become dataset images: those at least `minFaceSize` wide
 * (a smaller face would be enlarged into a blur), and all of them or only the largest. Every
 * face left out says why, so the import can tell the user.
 */
import { eyeCentres } from './alignment'
import type { AlignOptions } from './face-options'
import type { DetectedFace, SkippedFace } from './face-types'

export function selectFaces(
  faces: DetectedFace[],
  { minFaceSize, which }: Pick<AlignOptions, 'minFaceSize' | 'which'>
): { kept: DetectedFace[]; skipped: SkippedFace[] } {
  const skipped: SkippedFace[] = []
  let kept: DetectedFace[] = []
  for (const face of faces) {
    const size = Math.max(face.box.width, face.box.height)
    if (size < minFaceSize) {
      const w = Math.round(face.box.width)
      const h = Math.round(face.box.height)
      skipped.push({
        box: face.box,
        score: face.score,
        reason: `face too small: ${w}×${h} px, eyes ${Math.round(eyeDistance(face))} px apart (minimum ${minFaceSize} px)`
      })
    } else {
      kept.push(face)
    }
  }
  if (which === 'largest' && kept.length > 1) {
    const area = (face: DetectedFace): number => face.box.width * face.box.height
    const largest = kept.reduce((best, face) => (area(face) > area(best) ? face : best))
    for (const face of kept)
      if (face !== largest) skipped.push({ box: face.box, score: face.score, reason: 'not the largest face in the photo' })
    kept = [largest]
  }
  return { kept, skipped }
}

export function eyeDistance(face: DetectedFace): number {
  const { left, right } = eyeCentres(face.landmarks)
  return Math.hypot(right[0] - left[0], right[1] - left[1])
}
