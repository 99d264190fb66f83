/** A label to place beside a vertical marker at `x`, `width` wide (canvas pixels). */
export interface MarkLabel {
  x: number
  width: number
}

/** Where a label goes: its left edge, or null when it would overlap a later one and is left out. */
export type LabelPlace = number | null

/**
 * Places marker labels without overlaps. The latest marker matters most, so labels are placed
 * from the right: each sits right of its line (left of it at the chart's right edge), and one
 * that would touch the label after it is left out (its line stays).
 */
export function placeLabels(labels: MarkLabel[], left: number, right: number, gap: number): LabelPlace[] {
  const places: LabelPlace[] = labels.map(() => null)
  let limit = right
  for (let i = labels.length - 1; i >= 0; i--) {
    const { x, width } = labels[i]
    const after = x + gap
    const before = x - gap - width
    const at = after + width <= limit ? after : before >= left && before + width <= limit ? before : null
    if (at === null) continue
    places[i] = at
    limit = at - gap
  }
  return places
}
