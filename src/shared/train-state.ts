/** Where a training run stands: the answer of the train:* methods and the payload of the train:state event. */
export type TrainStateName = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed'

export interface TrainState {
  state: TrainStateName
  /** Why the run stopped or failed, in words a user can act on. */
  reason?: string
}
