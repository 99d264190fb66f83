/**
 * `vae-studio serve [project | image folder]`: the studio in a browser. Serves the built renderer
 * and the contract over a WebSocket on loopback, with a random token in the printed URL. The
 * in-page folder chooser reaches the home folder, the folder the studio was started in (as
 * Jupyter does) and the folders given with `--allow`; the URL is the last line printed.
 */
import { existsSync } from 'node:fs'
import type { FolderPlaces } from '../../../shared/contract'
import { homedir } from 'node:os'
import * as path from 'node:path'
import { forkEngine } from '../../host/fork-engine'
import { openStartupProject } from '../../host/startup-project'
import { createStudioHost } from '../../host/studio-host'
import { defaultConfigDir, openJsonSettingsStore } from '../../serve/json-settings-store'
import { startServer } from '../../serve/start-server'
import { backendOption, defineCommand } from '../command-spec'
import { numberFlag, parseCommand } from '../options'
import { packageRoot } from '../package-root'
import type { Reporter } from '../reporter'
import { shellQuote } from '../shell-quote'
import { UsageError } from '../usage-error'

export const defaultPort = 5599

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'runs the studio in a browser on this machine and prints the address to open',
  usage: '[project.vaeproj | image folder] [--port 5599] [--bind 127.0.0.1] [--allow <folder>]… [--backend auto|tensorflow|wasm|cpu]',
  positionals: { min: 0, max: 1 },
  options: {
    port: { type: 'string', value: '<n>', help: `the port to listen on (default ${defaultPort}; 0 picks a free one)` },
    bind: { type: 'string', value: '<address>', help: 'the address to listen on (default 127.0.0.1: this machine only)' },
    allow: {
      type: 'string',
      multiple: true,
      value: '<folder>',
      help: 'one more folder the studio may open (your home folder and the one you start in always are)'
    },
    backend: backendOption
  },
  notes: [
    'With a project, the studio opens it; with a folder of images, it imports them into a new project; with neither, the last project.'
  ]
})

/** The command that starts the studio again as it was, with `--allow <folder>` added. */
function allowCommand(args: string[]): (folder?: string) => string {
  const viaNpm = process.env.npm_lifecycle_event === 'serve'
  const kept = args.filter((a) => a !== '--json').map(shellQuote)
  const base = viaNpm ? ['npm run serve --'] : ['npx vae-studio serve']
  return (folder) => [...base, ...kept, '--allow', folder === undefined ? '<folder>' : shellQuote(folder)].join(' ')
}

export async function runServe(args: string[], reporter: Reporter): Promise<void> {
  const { values, positionals } = parseCommand(args, serveCommand)
  const port = numberFlag('port', values.port, { min: 0, max: 65535, integer: true }) ?? defaultPort
  const rendererDir = path.join(packageRoot(), 'out', 'renderer')
  if (!existsSync(path.join(rendererDir, 'index.html')))
    throw new UsageError('the studio pages are not built yet: run `npm run build` first (or use `npm run serve`)')
  const target = positionals[0] ? path.resolve(positionals[0]) : undefined
  const configDir = defaultConfigDir()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(values.backend && { VAE_STUDIO_BACKEND: values.backend }),
    VAE_STUDIO_CLIENT: `vae-studio serve (pid ${process.pid})`
  }
  const settings = openJsonSettingsStore(configDir)
  const command = allowCommand(args)
  const host = createStudioHost({
    transport: 'serve',
    settings,
    launchEngine: () => forkEngine(env),
    allowedRoots: [
      { label: 'Home', path: homedir() },
      { label: 'Where the studio started', path: process.cwd() },
      ...(values.allow ?? []).map((folder) => ({ label: 'Allowed with --allow', path: path.resolve(folder) }))
    ],
    allowCommand: command
  })
  reporter.record('notice', { message: 'starting' }, `starting the studio${target ? ` on ${positionals[0]}` : ''}…`)
  const project = await openStartupProject(host, target, configDir)
  const server = await startServer({ host, rendererDir, port, bind: values.bind ?? '127.0.0.1' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} is in use (another studio, or another program): choose another with --port, or --port 0 for any free one`
      )
    throw err
  })
  const places = await host.invoke('filesPlaces', { purpose: 'import' })
  const folders = 'result' in places ? (places.result as FolderPlaces).places : []
  reporter.record(
    'serve',
    { url: server.url, project: project.path, folders, allowCommand: command() },
    [
      `project: ${project.path}`,
      `folders the studio can open: ${folders.map((f) => f.path).join(', ')}`,
      `  (to add one, stop with Ctrl+C and start again with: ${command()})`,
      'press Ctrl+C to stop',
      '',
      `VAE Studio is running: open ${server.url}`
    ].join('\n')
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  // A second Ctrl+C (no handler any more) ends the server at once; the engine still saves and exits.
  reporter.record('notice', { message: 'stopping' }, 'stopping the studio (a running training saves a checkpoint first)…')
  await server.close()
  await host.dispose()
  await settings.flush()
}
