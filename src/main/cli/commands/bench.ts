/** `vae-studio bench` (`npm run bench`): the command line of the bench, which runs through the bench's own entry. */
import { runBench } from '../../bench/run-bench'
import { backendOption, defineCommand } from '../command-spec'
import { choiceFlag, numberFlag, parseCommand } from '../options'
import { packageRoot } from '../package-root'
import type { Reporter } from '../reporter'

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'measures speed (training, decoding, round trips, import) beside the PyTorch peer where it is installed; figures, not pass/fail',
  usage:
    '[--steps 10] [--import-files 1000] [--no-peer] [--quality [--seconds 180[,600]] [--faces <folder>]] [--soak <minutes>] [--backend auto|tensorflow|wasm|cpu]',
  positionals: { min: 0, max: 0 },
  options: {
    steps: { type: 'string', value: '<n>', help: 'training steps to time (default 10)' },
    'import-files': { type: 'string', value: '<n>', help: 'generated JPEGs to time the import with (default 1000)' },
    'no-peer': { type: 'boolean', help: 'do not run the PyTorch peer' },
    quality: { type: 'boolean', help: 'also train for --seconds and measure held-out and sample quality, ours and the peer’s' },
    seconds: {
      type: 'string',
      value: '<s>[,<s>…]',
      help: 'the quality runs’ training times, comma-separated (default 180; 180,600 as issue 18 compares)'
    },
    faces: { type: 'string', value: '<folder>', help: 'the quality run’s faces (default: the Olivetti faces in the datasets folder)' },
    soak: { type: 'string', value: '<minutes>', help: 'also train and decode this long while watching memory' },
    backend: backendOption
  }
})

export async function runBenchCommand(args: string[], reporter: Reporter): Promise<void> {
  const { values } = parseCommand(args, benchCommand)
  const seconds = (values.seconds ?? '180')
    .split(',')
    .map((part) => numberFlag('seconds', part.trim(), { min: 5, max: 3600, integer: true })!)
  const report = await runBench({
    root: packageRoot(),
    steps: numberFlag('steps', values.steps, { min: 1, max: 1000, integer: true }) ?? 10,
    importFiles: numberFlag('import-files', values['import-files'], { min: 10, max: 100_000, integer: true }) ?? 1000,
    peer: !values['no-peer'],
    quality: values.quality ? { seconds, faces: values.faces } : null,
    soakMinutes: numberFlag('soak', values.soak, { min: 0.1, max: 24 * 60 }),
    backend: choiceFlag('backend', values.backend, ['auto', 'tensorflow', 'wasm', 'cpu'] as const) ?? 'auto',
    // Progress goes to stderr so that `--json` prints exactly one object on stdout.
    say: (text) => process.stderr.write(`${text}\n`)
  })
  reporter.record('bench', report.result, report.text)
}
