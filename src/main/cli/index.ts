/**
 * `vae-studio`: the studio's data work from a terminal, through the same engine and contract as
 * the app. Exit codes: 0 done, 1 the work failed, 2 the command line was wrong, 130 interrupted.
 */
import { StudioError, messageOf } from '../../shared/errors'
import { runBench, benchUsage } from '../bench/run-bench'
import { demoUsage, runDemo } from './commands/demo'
import { desktopUsage, runDesktop } from './commands/desktop'
import { importUsage, runImport } from './commands/import'
import { infoUsage, runInfo } from './commands/info'
import {
  arithmeticUsage,
  attributeUsage,
  denoiseUsage,
  exportModelUsage,
  interpolateUsage,
  runArithmetic,
  runAttribute,
  runDenoise,
  runExportModel,
  runInterpolate
} from './commands/latent-tools'
import { evaluateUsage, runEvaluate } from './commands/evaluate'
import { reconstructUsage, runReconstruct } from './commands/reconstruct'
import { runSample, sampleUsage } from './commands/sample'
import { runServe, serveUsage } from './commands/serve'
import { runTrain, trainUsage } from './commands/train'
import { openStudio } from './open-studio'
import { createReporter, type Reporter } from './reporter'
import { UsageError } from './usage-error'

const help = `vae-studio — train and explore a β-VAE on your own images

commands:
  ${demoUsage}
  ${importUsage}
  ${trainUsage}
  ${sampleUsage}
  ${reconstructUsage}
  ${evaluateUsage}
  ${infoUsage}
  ${interpolateUsage}
  ${arithmeticUsage}
  ${attributeUsage}
  ${denoiseUsage}
  ${exportModelUsage}
  ${serveUsage}
  ${desktopUsage}
  ${benchUsage}

every command takes --json for one JSON object per line.`

type EngineCommand = (args: string[], reporter: Reporter, studio: ReturnType<typeof openStudio>['studio']) => Promise<unknown>

const engineCommands: Record<string, EngineCommand> = {
  import: runImport,
  train: runTrain,
  sample: runSample,
  reconstruct: runReconstruct,
  evaluate: runEvaluate,
  info: runInfo,
  interpolate: runInterpolate,
  arithmetic: runArithmetic,
  attribute: runAttribute,
  denoise: runDenoise,
  'export-model': runExportModel
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  const reporter = createReporter(args.includes('--json'))
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${help}\n`)
      return command ? 0 : 2
    }
    if (command === 'demo') return await runDemo(args, reporter).then(() => 0)
    if (command === 'serve') return await runServe(args, reporter).then(() => 0)
    if (command === 'desktop') return await runDesktop(args, reporter)
    if (command === 'bench') return await runBench(args, reporter).then(() => 0)
    const run = engineCommands[command]
    if (!run) throw new UsageError(`unknown command "${command}"; run vae-studio --help`)
    const backendIndex = args.indexOf('--backend')
    const opened = openStudio({ backend: backendIndex >= 0 ? args[backendIndex + 1] : undefined })
    try {
      const outcome = await run(args, reporter, opened.studio)
      if (outcome && typeof outcome === 'object' && 'state' in outcome) {
        const state = (outcome as { state: string }).state
        if (state === 'failed') return 1
        if (state === 'stopped') return 130
      }
      return 0
    } finally {
      await opened.close()
    }
  } catch (err) {
    const usage = err instanceof UsageError
    const code = usage ? 'usage' : err instanceof StudioError ? err.code : 'internal'
    const message = messageOf(err)
    reporter.error(code, usage ? message : message.split('\n')[0])
    return usage ? 2 : 1
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code))
