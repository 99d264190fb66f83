/**
 * `vae-studio serve [project | image folder]`: the studio in a browser. Serves the built renderer
 * and the contract over a WebSocket on loopback, with a random token in the printed URL.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import * as path from 'node:path'
import { forkEngine } from '../../host/fork-engine'
import { openStartupProject } from '../../host/startup-project'
import { createStudioHost } from '../../host/studio-host'
import { defaultConfigDir, openJsonSettingsStore } from '../../serve/json-settings-store'
import { startServer } from '../../serve/start-server'
import { numberFlag, parseCommand } from '../options'
import { packageRoot } from '../package-root'
import type { Reporter } from '../reporter'
import { UsageError } from '../usage-error'

export const serveUsage =
  'vae-studio serve [project.vaeproj | image folder] [--port 0] [--bind 127.0.0.1] [--allow <folder>]… [--backend auto|wasm|cpu]'

export async function runServe(args: string[], reporter: Reporter): Promise<void> {
  const { values, positionals } = parseCommand(
    args,
    { port: { type: 'string' }, bind: { type: 'string' }, allow: { type: 'string', multiple: true }, backend: { type: 'string' } },
    { min: 0, max: 1, usage: serveUsage }
  )
  const rendererDir = path.join(packageRoot(), 'out', 'renderer')
  if (!existsSync(path.join(rendererDir, 'index.html')))
    throw new UsageError('the studio pages are not built yet: run `npm run build` first (or use `npm run serve`)')
  const target = positionals[0] ? path.resolve(positionals[0]) : undefined
  const configDir = defaultConfigDir()
  const env = values.backend ? { ...process.env, VAE_STUDIO_BACKEND: values.backend } : process.env
  const settings = openJsonSettingsStore(configDir)
  const host = createStudioHost({
    transport: 'serve',
    settings,
    launchEngine: () => forkEngine(env),
    allowedRoots: [homedir(), process.cwd(), ...(values.allow ?? []).map((p) => path.resolve(p))]
  })
  const project = await openStartupProject(host, target, configDir)
  const server = await startServer({
    host,
    rendererDir,
    port: numberFlag('port', values.port, { min: 0, max: 65535, integer: true }) ?? 5599,
    bind: values.bind ?? '127.0.0.1'
  })
  reporter.record(
    'serve',
    { url: server.url, project: project.path },
    `VAE Studio is running: open ${server.url}\nproject: ${project.path}\npress Ctrl+C to stop`
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  await host.dispose()
  await settings.flush()
}
