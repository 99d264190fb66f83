/**
 * What a run does when a step's loss is not a number: the step is rolled back to the last
 * checkpoint and the run carries on, as one bad noise draw is often a fluke; but a few of them
 * before the next checkpoint mean the learning rate or β is wrong, which only the user can change.
 */

/** Rolled-back steps since the last checkpoint after which the run is declared diverged. */
const maxNanRollbacks = 3

export type NanVerdict = { diverged: false; notice: string } | { diverged: true; reason: string }

export class NanGuard {
  private rollbacks = 0

  /** A checkpoint was saved: the rollbacks before it no longer count. */
  reset(): void {
    this.rollbacks = 0
  }

  /**
   * Counts step `failedStep`, whose loss came out as `loss`, and words what the user is told: a
   * notice when the run goes on from the checkpoint at `checkpointStep`, or why it stops.
   */
  record(failedStep: number, loss: number, checkpointStep: number, learningRate: number): NanVerdict {
    this.rollbacks++
    if (this.rollbacks > maxNanRollbacks) {
      return {
        diverged: true,
        reason: `training diverged: the loss was not a number ${this.rollbacks} times since the checkpoint at step ${checkpointStep} (last at step ${failedStep}); lower the learning rate (now ${learningRate}) or β and resume`
      }
    }
    return {
      diverged: false,
      notice: `step ${failedStep} gave a loss of ${loss}; restored the weights of step ${checkpointStep} and carried on`
    }
  }
}
