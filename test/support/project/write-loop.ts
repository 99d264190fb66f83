/**
 * The child process of the crash test: resumes a project the way the trainer does (latest
 * checkpoint, history cut back to it) and then writes checkpoints, history and project.json as
 * fast as it can until it is killed. It prints `ready <step>` once resumed and `saved <step>`
 * after each checkpoint is durable.
 */
import { appendHistory, truncateHistoryAfter } from '../../../src/main/engine/project/history-log'
import { readLatestCheckpoint } from '../../../src/main/engine/project/checkpoint-reader'
import { writeCheckpoint } from '../../../src/main/engine/project/checkpoint-writer'
import { openProject, saveProject } from '../../../src/main/engine/project/project-file'
import { fakeCheckpoint } from './fake-checkpoint'
import { crashTestKeep } from './write-loop-keep'

async function main(dir: string, size: number): Promise<void> {
  let project = await openProject(dir)
  const latest = await readLatestCheckpoint(dir)
  let step = latest.checkpoint?.step ?? 0
  await truncateHistoryAfter(dir, step)
  project.betaChanges = project.betaChanges.filter((change) => change.step <= step)
  process.stdout.write(`ready ${step}\n`)
  for (;;) {
    step++
    const epoch = Math.floor(step / 10)
    const rows = [{ step, epoch, loss: 100 / step, recon: 90 / step, kl: 10 / step, beta: 1, t: Date.now() }]
    await appendHistory(dir, rows)
    if (step % 10 === 0) {
      const klPerDim = Array.from({ length: 32 }, (_, i) => i / step)
      await appendHistory(dir, [
        {
          kind: 'epoch',
          epoch,
          step,
          valLoss: 1,
          valRecon: 0.9,
          valKl: 0.1,
          trainLoss: 1,
          trainRecon: 0.9,
          trainKl: 0.1,
          klPerDim,
          activeUnits: 5,
          t: Date.now()
        }
      ])
    }
    await writeCheckpoint(dir, fakeCheckpoint(step, size), { keep: crashTestKeep })
    process.stdout.write(`saved ${step}\n`)
    project.betaChanges.push({ step, beta: step % 4 })
    project = await saveProject(dir, project)
  }
}

main(process.argv[2], Number(process.argv[3])).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
