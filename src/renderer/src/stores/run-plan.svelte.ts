/**
 * How long the next run lasts and what it will take, as the Train view shows it before a run
 * starts: the length in the unit the user picks (or the one recommended for the dataset), the
 * model's training so far, the expected time, and how much "Train more" adds after a run ends.
 * The engine answers with the pace (`trainPlan`); the arithmetic is shared/run-length.ts's.
 */
import type { StudioApi } from '../../../shared/contract'
import type { RunLength, RunLengthUnit, TrainConfig } from '../../../shared/config'
import {
  estimateRun,
  extendedLength,
  isReached,
  lengthIn,
  moreAmount,
  resolvedLength,
  runTarget,
  type RunEstimate,
  type TrainPlan
} from '../../../shared/run-length'
import { LatestOnly } from '../lib/latest-only'
import { messageOf } from '../../../shared/errors'

/** What the length picker offers: a unit, or the length the studio recommends. */
export type LengthChoice = RunLengthUnit | 'recommended'

export class RunPlan {
  plan = $state.raw<TrainPlan | null>(null)
  /** A plan is being worked out (the first time, a few steps are timed). */
  pending = $state(false)
  problem = $state<string | null>(null)
  private readonly sender: LatestOnly<{ train: TrainConfig; measure: boolean }, TrainPlan>

  constructor(
    api: StudioApi,
    /** The next run's settings (the store's live state, so a unit change writes into it). */
    private readonly train: () => TrainConfig
  ) {
    this.sender = new LatestOnly(
      (req) => api.trainPlan(req),
      (plan) => {
        this.plan = plan
        this.problem = null
        this.pending = this.sender.busy
      },
      (err) => {
        this.problem = messageOf(err)
        this.pending = this.sender.busy
      }
    )
  }

  /** Asks the engine again for the current settings; `measure` times a few steps where no pace is known. */
  refresh(measure = true): void {
    this.pending = true
    this.sender.push({ train: $state.snapshot(this.train()), measure })
  }

  forget(): void {
    this.plan = null
    this.problem = null
  }

  // Getters rather than $derived: they read the settings through `train`, set in the constructor.
  get choice(): LengthChoice {
    const { length } = this.train()
    return length.amount === null ? 'recommended' : length.unit
  }

  /** The length with a recommended one spelled out in steps; null until the engine answered. */
  get resolved(): { unit: RunLengthUnit; amount: number } | null {
    return this.plan && resolvedLength(this.train().length, this.plan.shape)
  }

  get estimate(): RunEstimate | null {
    const plan = this.plan
    return plan && estimateRun(runTarget(this.train().length, plan.shape), plan.at, plan.shape, plan.pace)
  }

  /** The step the run ends at (estimated for minutes, from the pace); null while unknown. */
  get endStep(): number | null {
    const plan = this.plan
    const left = this.estimate?.stepsLeft
    return plan && left !== undefined && left !== null ? plan.at.step + left : null
  }

  /** The model has trained as long as the length says: only a longer one trains further. */
  get reached(): boolean {
    return this.plan !== null && isReached(runTarget(this.train().length, this.plan.shape), this.plan.at)
  }

  /** Switches the unit, keeping the same end where it can be converted (600 steps → about 6 minutes). */
  choose(choice: LengthChoice): void {
    const train = this.train()
    if (choice === 'recommended') {
      train.length = { unit: 'steps', amount: null }
      return
    }
    const plan = this.plan
    const same = plan && lengthIn(choice, runTarget(train.length, plan.shape), plan.at, plan.shape, plan.pace)
    train.length = { unit: choice, amount: same ?? defaultAmounts[choice] }
  }

  /** What "Train more" adds in the length's unit (5 minutes, or about that many steps or epochs). */
  get more(): { unit: RunLengthUnit; amount: number } | null {
    return this.plan && { unit: this.moreUnit, amount: moreAmount(this.moreUnit, this.plan.shape, this.plan.pace) }
  }

  /** The length that trains `more` past where the model stands. */
  extended(): RunLength | null {
    const plan = this.plan
    const more = this.more
    return plan && more && extendedLength(more.unit, more.amount, plan.at, plan.shape)
  }

  private get moreUnit(): RunLengthUnit {
    const length = this.train().length
    return length.amount === null ? 'steps' : length.unit
  }
}

/** A unit's starting amount when no pace is known to convert the current length. */
const defaultAmounts: Record<RunLengthUnit, number> = { steps: 600, minutes: 10, epochs: 20 }
