/**
 * Decode latency as the latent canvas sees it: renderer → WebSocket → host → engine process →
 * back, on the reference 64-px model. The model is trained for one step only: latency does not
 * depend on what the weights have learned.
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import WebSocket from 'ws'
import { defaultTrainConfig } from '../../shared/config'
import type { TrainState } from '../../shared/events'
import { createClient } from '../../shared/transport/create-client'
import { connectWebSocket, type WebSocketLike } from '../../shared/transport/ws-transport'
import { studioSocketUrl } from '../../shared/transport/ws-url'
import { forkEngine } from '../host/fork-engine'
import { createStudioHost } from '../host/studio-host'
import { memorySettingsStore } from '../host/memory-settings-store'
import { startServer } from '../serve/start-server'
import { referenceModel } from './model-bench'

export interface RoundTripFigures {
  roundTripDecode1Ms: number
  roundTripDecode1P95Ms: number
}

export async function benchRoundTrip(decodes = 200): Promise<RoundTripFigures> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'vae-bench-rt-'))
  const host = createStudioHost({
    transport: 'serve',
    settings: memorySettingsStore(),
    launchEngine: () => forkEngine(),
    allowedRoots: [dir]
  })
  const rendererDir = path.join(dir, 'renderer')
  await fs.mkdir(rendererDir)
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html>')
  const server = await startServer({ host, rendererDir, port: 0 })
  const transport = await connectWebSocket(studioSocketUrl(new URL(server.url)), {
    createSocket: (url) => new WebSocket(url, { headers: { origin: new URL(server.url).origin } }) as unknown as WebSocketLike
  })
  try {
    const studio = createClient(transport)
    await studio.projectCreate({ path: path.join(dir, 'bench.vaeproj') })
    await studio.datasetDemo({ count: 64, seed: 1 })
    const finished = new Promise<TrainState>((resolve) => studio.on('train:state', (s) => s.state !== 'running' && resolve(s)))
    await studio.trainStart({ model: referenceModel, train: { ...defaultTrainConfig, epochs: 1, batchSize: 64, valFraction: 0 } })
    await finished
    const z = [new Array(referenceModel.latentDim).fill(0)]
    for (let i = 0; i < 20; i++) await studio.modelDecode({ z })
    const times: number[] = []
    for (let i = 0; i < decodes; i++) {
      z[0][i % z[0].length] = Math.sin(i)
      const start = performance.now()
      await studio.modelDecode({ z })
      times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    return { roundTripDecode1Ms: times[Math.floor(times.length / 2)], roundTripDecode1P95Ms: times[Math.floor(times.length * 0.95)] }
  } finally {
    transport.close()
    await server.close()
    await host.dispose()
    await fs.rm(dir, { recursive: true, force: true })
  }
}
