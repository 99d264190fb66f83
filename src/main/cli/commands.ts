/** Every command of `vae-studio`, in the order its help lists them. */
import type { StudioApi } from '../../shared/contract'
import type { CommandSpec } from './command-spec'
import type { EngineControl } from './engine-control'
import { arithmeticCommand, runArithmetic } from './commands/arithmetic'
import { attributeCommand, runAttribute } from './commands/attribute'
import { benchCommand, runBenchCommand } from './commands/bench'
import { demoCommand, runDemo } from './commands/demo'
import { denoiseCommand, runDenoise } from './commands/denoise'
import { desktopCommand, runDesktop } from './commands/desktop'
import { evaluateCommand, runEvaluate } from './commands/evaluate'
import { exportModelCommand, runExportModel } from './commands/export-model'
import { importCommand, runImport } from './commands/import'
import { infoCommand, runInfo } from './commands/info'
import { interpolateCommand, runInterpolate } from './commands/interpolate'
import { reconstructCommand, runReconstruct } from './commands/reconstruct'
import { runSample, sampleCommand } from './commands/sample'
import { runServe, serveCommand } from './commands/serve'
import { runTrain, trainCommand } from './commands/train'
import type { Reporter } from './reporter'

/**
 * A command that talks to the engine: the CLI starts a host and its engine process for it. It
 * answers its exit code, or nothing for 0.
 */
type EngineRun = (args: string[], reporter: Reporter, studio: StudioApi, engine: EngineControl) => Promise<number | void>
/** A command that runs by itself and answers its exit code (or 0 when it returns nothing). */
type PlainRun = (args: string[], reporter: Reporter) => Promise<number | void>

export type Command = { spec: CommandSpec; engine: true; run: EngineRun } | { spec: CommandSpec; engine: false; run: PlainRun }

const engine = (spec: CommandSpec, run: EngineRun): Command => ({ spec, engine: true, run })
const plain = (spec: CommandSpec, run: PlainRun): Command => ({ spec, engine: false, run })

export const commands: Command[] = [
  plain(demoCommand, runDemo),
  engine(importCommand, runImport),
  engine(trainCommand, runTrain),
  engine(sampleCommand, runSample),
  engine(reconstructCommand, runReconstruct),
  engine(evaluateCommand, runEvaluate),
  engine(infoCommand, runInfo),
  engine(interpolateCommand, runInterpolate),
  engine(arithmeticCommand, runArithmetic),
  engine(attributeCommand, runAttribute),
  engine(denoiseCommand, runDenoise),
  engine(exportModelCommand, runExportModel),
  plain(serveCommand, runServe),
  plain(desktopCommand, runDesktop),
  plain(benchCommand, runBenchCommand)
]

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.spec.name === name)
}
