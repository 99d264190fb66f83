/**
 * Decode latency as the latent canvas sees it: renderer → WebSocket → host → engine process →
 * back, on the reference 64-px model, with the engine idle and while it trains (on its worker
 * threads). The model is barely trained: latency does not depend on what the weights have learned.
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
  roundTripDecode1DuringTrainP50Ms: number
  roundTripDecode1DuringTrainP95Ms: number
}

/** Median and 95th percentile of `decodes` round trips of one code, each a little different. */
async function decodeLatency(studio: ReturnType<typeof createClient>, decodes: number): Promise<{ p50: number; p95: number }> {
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
  return { p50: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] }
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
    await studio.datasetDemo({ count: 256, seed: 1 })
    const ended = () => new Promise<TrainState>((resolve) => studio.on('train:state', (s) => s.state !== 'running' && resolve(s)))
    let finished = ended()
    await studio.trainStart({
      model: referenceModel,
      train: { ...defaultTrainConfig, length: { unit: 'epochs', amount: 1 }, batchSize: 64, valFraction: 0 }
    })
    await finished
    const idle = await decodeLatency(studio, decodes)
    // Then while a long run trains, a few steps in (its workers started and busy).
    finished = ended()
    const stepped = new Promise<void>((resolve) => studio.on('train:progress', (p) => p.step >= 3 && resolve()))
    await studio.trainStart({
      model: referenceModel,
      train: { ...defaultTrainConfig, length: { unit: 'epochs', amount: 1000 }, batchSize: 64, valFraction: 0 }
    })
    await stepped
    const training = await decodeLatency(studio, decodes)
    await studio.trainStop()
    await finished
    return {
      roundTripDecode1Ms: idle.p50,
      roundTripDecode1P95Ms: idle.p95,
      roundTripDecode1DuringTrainP50Ms: training.p50,
      roundTripDecode1DuringTrainP95Ms: training.p95
    }
  } finally {
    transport.close()
    await server.close()
    await host.dispose()
    await fs.rm(dir, { recursive: true, force: true })
  }
}
