/**
 * The PyTorch CPU peer (`shared/bench/torch_vae.py`): run in the same session as our figures so
 * the comparison is made on one machine under one load. Absent Python or torch, it is skipped.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import * as path from 'node:path'

export interface PeerFigures {
  trainImgPerSec: number
  decode1Ms: number
  decode64Ms: number
  threads: number
}

export function peerScript(root: string, name: string): string | null {
  const candidates = [process.env.VAE_STUDIO_PEER_DIR, path.join(root, '..', 'shared', 'bench')].filter((d): d is string => !!d)
  return candidates.map((dir) => path.join(dir, name)).find((file) => existsSync(file)) ?? null
}

export function runTorchPeer(script: string, threads: number): PeerFigures | { skipped: string } {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  const run = spawnSync(python, [script, String(threads)], { encoding: 'utf8', timeout: 600_000 })
  if (run.status !== 0) return { skipped: (run.stderr || run.error?.message || 'the peer failed').trim().split('\n').pop()! }
  const number = (pattern: RegExp) => Number(pattern.exec(run.stdout)?.[1])
  const figures = {
    trainImgPerSec: number(/train: ([\d.]+) img\/s/),
    decode1Ms: number(/decode 1 image: ([\d.]+) ms/),
    decode64Ms: number(/decode 64 images: ([\d.]+) ms/),
    threads
  }
  return Object.values(figures).every(Number.isFinite) ? figures : { skipped: `unexpected peer output: ${run.stdout.trim()}` }
}

export interface PeerQuality {
  steps: number
  /** Training images a second over the budget (its batch is 32). */
  imgPerSec: number
  epochs: number
  mse: number
  psnr: number
  kl: number
}

/**
 * The quality peer: `torch_quality.py`, or with `samples` its sibling `torch_quality_samples.py`,
 * which trains the same way, prints the same line, then writes that many prior samples as PNGs
 * into `samples.dir`.
 */
export function runTorchQualityPeer(
  script: string,
  folder: string,
  seconds: number,
  samples?: { dir: string; count: number; threads?: number }
): PeerQuality | { skipped: string } {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  const args = samples
    ? [script, folder, String(seconds), samples.dir, String(samples.count), String(samples.threads ?? 1)]
    : [script, folder, String(seconds), '1']
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: (seconds + 300) * 1000 })
  if (run.status !== 0) return { skipped: (run.stderr || run.error?.message || 'the peer failed').trim().split('\n').pop()! }
  const match = /(\d+) steps, (\d+) epochs.*mse\/pixel ([\d.]+), psnr ([\d.]+) dB.*kl ([\d.]+) nats/.exec(run.stdout)
  if (!match) return { skipped: `unexpected peer output: ${run.stdout.trim()}` }
  return {
    steps: Number(match[1]),
    imgPerSec: (Number(match[1]) * 32) / seconds,
    epochs: Number(match[2]),
    mse: Number(match[3]),
    psnr: Number(match[4]),
    kl: Number(match[5])
  }
}
