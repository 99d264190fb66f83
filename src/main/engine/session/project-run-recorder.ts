/** The trainer's persistence, backed by a project folder. */
import { writeCheckpoint } from '../project/checkpoint-writer'
import { appendHistory } from '../project/history-log'
import type { RunRecorder } from '../train/trainer'

export function projectRunRecorder(dir: string): RunRecorder {
  return {
    saveCheckpoint: async (checkpoint) => {
      await writeCheckpoint(dir, checkpoint)
    },
    appendHistory: (rows) => appendHistory(dir, rows)
  }
}
