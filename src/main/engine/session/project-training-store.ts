/** The trainer's persistence, backed by a project folder. */
import { writeCheckpoint } from '../project/checkpoint-writer'
import { appendHistory } from '../project/history-log'
import type { TrainingStore } from '../train/trainer'

export function projectTrainingStore(dir: string): TrainingStore {
  return {
    saveCheckpoint: async (checkpoint) => {
      await writeCheckpoint(dir, checkpoint)
    },
    appendHistory: (rows) => appendHistory(dir, rows)
  }
}
