/**
 * A second look at the tiny detector's doubtful boxes before they become dataset images. The
 * tiny detector is fast but, where photos are tiled edge to edge (a contact sheet, a screenshot
 * of a gallery), it boxes hair and background straddling two pictures: on a 6×5 sheet of ORL
 * portraits it gave 32 boxes, 11 of them such junk, and missed 9 of the 30 faces; SSD MobileNet
 * found exactly the 30. Junk shows in the landmarks the 68-point net places in the box (a real
 * face fills its box with them, eyes a third of the box apart and the mouth below their middle;
 * junk squeezes them into a corner) or in a low score. When a photo has such a box, SSD runs
 * once on the whole photo (~4× the tiny detector's cost, for those photos only): a doubtful box
 * stays only where SSD sees a face too, and faces SSD finds that the tiny detector missed are
 * added.
 *
 * Figures behind the thresholds (tiny at 416, 68-point net): 69 faces of 52 real photos (group
 * photos, 150-px crops) and 21 on the sheet had eye distance ≥ 0.17 of the box width (all but
 * one ≥ 0.25), landmarks spanning ≥ 0.5 of it, the mouth 0.45–1.63 eye distances below the eyes
 * and at most 0.18 to the side; the 11 junk boxes had eye distance 0.06–0.23 of the box and
 * landmarks spanning 0.27–0.6 of it. Real faces scored 0.43–1, junk 0.40–0.57.
 */
import { eyeCentres, mouthCentre } from './alignment'
import type { FaceBox, Point } from './face-types'
import { iou, type Detection } from './tiny-detector'

/** misfit: the landmarks do not fit a face; low-score: they do, but the detector was unsure (or the box straddles a seam). */
export type Doubt = 'misfit' | 'low-score' | null

/** Below this score a box is looked at again even if its landmarks fit. */
export const lowScore = 0.45
/** An SSD box overlapping a tiny one by at least this IoU confirms it (real: ≥ 0.38; junk: ≤ 0.18 unless it lies half over a real face). */
const confirmIou = 0.3
/**
 * SSD's confidence a misfit box needs. A box whose landmarks fit needs no more than SSD seeing
 * something there: on tight 150-px crops SSD scores real faces as low as 0.08.
 */
const misfitConfirmScore = 0.3
/** SSD boxes down to this score are looked at for confirming (see misfitConfirmScore). */
export const ssdFloor = 0.05

/**
 * @param straddles the box is cut through its middle by a seam between two pictures (see
 *   photo-seams.ts): looked at again like a low score.
 */
export function doubtOf(box: FaceBox, score: number, landmarks: Point[], straddles: boolean): Doubt {
  if (!landmarksFitAFace(box, landmarks)) return 'misfit'
  return score < lowScore || straddles ? 'low-score' : null
}

/** Eyes a plausible distance apart for the box, landmarks filling it, the mouth below the eyes' middle. */
export function landmarksFitAFace(box: FaceBox, landmarks: Point[]): boolean {
  const { left, right } = eyeCentres(landmarks)
  const eyes = Math.hypot(right[0] - left[0], right[1] - left[1])
  if (!(eyes > 0) || eyes / box.width < 0.2) return false
  const xs = landmarks.map((p) => p[0])
  if ((Math.max(...xs) - Math.min(...xs)) / box.width < 0.5) return false
  // The mouth in the eyes' frame: along the eye line (side) and at right angles to it (down).
  const ux = (right[0] - left[0]) / eyes
  const uy = (right[1] - left[1]) / eyes
  const mouth = mouthCentre(landmarks)
  const dx = mouth[0] - (left[0] + right[0]) / 2
  const dy = mouth[1] - (left[1] + right[1]) / 2
  const side = (dx * ux + dy * uy) / eyes
  const down = (dy * ux - dx * uy) / eyes
  return Math.abs(side) <= 0.5 && down >= 0.3 && down <= 2
}

/**
 * Which tiny boxes stay (indices, in order) and which SSD boxes are added, given SSD's boxes of the
 * same photo down to `ssdFloor`. Once SSD has run, every tiny box needs an SSD box of its own:
 * pairs are made best overlap first, so a junk box half over a real face loses that face's SSD
 * box to the real face's own tiny box. A misfit box needs SSD to be fairly sure; one whose
 * landmarks fit needs only SSD seeing something there. SSD boxes left unpaired, at least
 * `minScore` (the import's threshold) and clear of every kept box, are faces the tiny detector
 * missed.
 */
export function confirmWithSsd(
  tiny: Detection[],
  doubts: Doubt[],
  ssd: Detection[],
  minScore: number
): { kept: number[]; added: Detection[] } {
  const pairs: Array<{ t: number; s: number; overlap: number }> = []
  for (const [t, box] of tiny.entries()) {
    const needed = doubts[t] === 'misfit' ? misfitConfirmScore : 0
    for (const [s, other] of ssd.entries()) {
      const overlap = iou(box.box, other.box)
      if (overlap >= confirmIou && other.score >= needed) pairs.push({ t, s, overlap })
    }
  }
  pairs.sort((a, b) => b.overlap - a.overlap)
  const pairedTiny = new Set<number>()
  const pairedSsd = new Set<number>()
  for (const { t, s } of pairs) {
    if (pairedTiny.has(t) || pairedSsd.has(s)) continue
    pairedTiny.add(t)
    pairedSsd.add(s)
  }
  const kept = tiny.map((_, t) => t).filter((t) => pairedTiny.has(t))
  const added = ssd.filter(
    (box, s) => !pairedSsd.has(s) && box.score >= minScore && kept.every((t) => iou(tiny[t].box, box.box) < confirmIou)
  )
  return { kept, added }
}
