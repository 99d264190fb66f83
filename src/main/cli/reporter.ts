/**
 * Everything the CLI prints goes through a reporter: with `--json` one JSON object per line
 * (types: progress, epoch, import, state, notice, result, error; a progress record names its `task`:
 * import, export or train); on a terminal a live progress
 * line; otherwise (a pipe or a log) plain lines at a calm pace.
 */
import type { ImportProgress, TrainEpoch, TrainNotice, TrainProgress, TrainState } from '../../shared/events'
import { formatDuration, formatNumber, progressBar } from './format'
import { trainProgressLine } from './train-progress-line'

export interface Reporter {
  importProgress(p: ImportProgress): void
  /** Generated faces written so far (`sample --out-dir`). */
  exportProgress(p: { done: number; total: number }): void
  trainProgress(p: TrainProgress): void
  epoch(e: TrainEpoch): void
  state(s: TrainState): void
  notice(n: TrainNotice): void
  /** A typed JSON record in --json mode; `text` otherwise. */
  record(type: string, data: Record<string, unknown>, text: string): void
  error(code: string, message: string): void
}

const plainInterval = 5000

export function createReporter(json: boolean, stream: NodeJS.WriteStream = process.stdout): Reporter {
  const tty = !json && stream.isTTY === true
  let lastPlain = 0
  let liveLine = false
  const write = (line: string) => {
    if (liveLine) stream.write('\n')
    liveLine = false
    stream.write(`${line}\n`)
  }
  const live = (line: string) => {
    if (tty) {
      stream.write(`\r\x1b[2K${line}`)
      liveLine = true
    } else if (Date.now() - lastPlain >= plainInterval) {
      lastPlain = Date.now()
      stream.write(`${line}\n`)
    }
  }
  const emit = (type: string, data: object) => stream.write(`${JSON.stringify({ type, ...data })}\n`)

  return {
    importProgress(p) {
      if (json) return emit('progress', { task: 'import', ...p })
      const faces = p.faces === undefined ? '' : `, ${p.faces} faces`
      const eta = p.etaSec === undefined ? '' : ` · ETA ${formatDuration(p.etaSec)}`
      live(
        `importing ${progressBar(p.total ? p.done / p.total : 0)} ${p.done}/${p.total} files${faces}, ${p.imported} imported, ${p.skipped} skipped${eta}`
      )
    },
    exportProgress(p) {
      if (json) return emit('progress', { task: 'export', ...p })
      live(`exporting ${progressBar(p.total ? p.done / p.total : 0)} ${p.done}/${p.total} faces`)
    },
    trainProgress(p) {
      if (json) return emit('progress', { task: 'train', ...p })
      live(trainProgressLine(p))
    },
    epoch(e) {
      const { reconstructions: _r, samples: _s, ...summary } = e
      if (json) return emit('epoch', summary)
      write(
        `epoch ${e.epoch}: train loss ${formatNumber(e.trainLoss)} · held-out loss ${formatNumber(e.valLoss)} ` +
          `(recon ${formatNumber(e.valRecon)}, kl ${formatNumber(e.valKl)}) · ${e.activeUnits}/${e.klPerDim.length} active latent units`
      )
    },
    state(s) {
      if (json) return emit('state', s)
      if (s.state === 'running') return
      write(`training ${s.state}${s.reason ? `: ${s.reason}` : ''}`)
    },
    notice(n) {
      if (json) return emit('notice', n)
      write(n.step > 0 ? `note (step ${n.step}): ${n.message}` : `note: ${n.message}`)
    },
    record(type, data, text) {
      if (json) return emit(type, data)
      write(text)
    },
    error(code, message) {
      if (json) return emit('error', { code, message })
      if (liveLine) stream.write('\n')
      liveLine = false
      process.stderr.write(`vae-studio: ${message}\n`)
    }
  }
}
