/**
 * `vae-studio`: the studio's data work from a terminal, through the same engine and contract as
 * the app. Exit codes: 0 done, 1 the work failed, 2 the command line was wrong, 75 a training run paused
 * and was stopped (run the same command once the cause is fixed), 130 interrupted.
 */
import { runCli } from './run-cli'

runCli(process.argv.slice(2)).then((code) => process.exit(code))
