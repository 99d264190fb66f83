import * as os from 'node:os'

/**
 * Worker threads for a run: the wasm backend computes on one core per thread, so it trains on one
 * per core (or as many as asked); tfjs-node already uses every core, and cpu is a last resort.
 */
export function trainingWorkers(backend: string, asked: number): number | undefined {
  if (backend !== 'wasm') return undefined
  return asked > 0 ? asked : os.availableParallelism()
}
