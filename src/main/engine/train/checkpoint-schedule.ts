/**
 * When a run writes a checkpoint on its own (it also writes one on pause, stop and at its end):
 * every `every` steps, and on the way to the first one at ⅛, ¼ and ½ of it, so the timeline sees
 * how a run starts (faces appear within its first few hundred steps). Not at epoch ends: on a
 * small set an epoch is a step or two, and a checkpoint each would be a write a step.
 */
export function isCheckpointStep(step: number, every: number): boolean {
  if (step % every === 0) return true
  return earlyCheckpoints(every).includes(step)
}

/** ⅛, ¼ and ½ of the interval, where those are whole steps apart from each other. */
export function earlyCheckpoints(every: number): number[] {
  return [...new Set([every / 8, every / 4, every / 2].map(Math.round))].filter((step) => step >= 1 && step < every)
}
