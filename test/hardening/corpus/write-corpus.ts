/**
 * Writes the hostile corpus to disk: one folder per case, each with the case's entry and a
 * companion `ok.png` of its own colour, so every case folder is importable on its own and a
 * case's damage can be told from an import that refuses everything.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { solidImage } from './crafted-bytes'
import { hostileCases, type HostileCase } from './hostile-cases'

export interface WrittenCase {
  case: HostileCase
  /** The case's folder name, unique and sorted in case order. */
  folder: string
  /** Absolute path of the case's folder. */
  dir: string
}

export interface WrittenCorpus {
  /** Cases every user can check (a root-run import reads anything). */
  corpus: string
  /** Cases that only mean something to an unprivileged reader (permission bits). */
  lockedCorpus: string
  outside: string
  /** Created by the corpus' shell script if anything ever executes it. */
  marker: string
  cases: WrittenCase[]
}

/** A colour of its own per case, so no two companions are duplicates of each other. */
export function companionColour(index: number): [number, number, number] {
  return [(index * 37) % 256, 255 - ((index * 11) % 256), 64 + (index % 128)]
}

export async function writeCorpus(root: string): Promise<WrittenCorpus> {
  const corpus = path.join(root, 'corpus')
  const lockedCorpus = path.join(root, 'corpus-locked')
  const outside = path.join(root, 'outside')
  const marker = path.join(root, 'script-ran')
  await Promise.all([corpus, lockedCorpus, path.join(outside, 'outside-dir')].map((dir) => fs.mkdir(dir, { recursive: true })))
  const outsideImage = await solidImage(16, 16, [1, 1, 1]).png().toBuffer()
  await fs.writeFile(path.join(outside, 'outside.png'), outsideImage)
  await fs.writeFile(path.join(outside, 'outside-dir', 'inner.png'), outsideImage)

  const cases: WrittenCase[] = []
  for (const [index, hostile] of hostileCases.entries()) {
    const folder = `${String(index).padStart(2, '0')}-${hostile.id}`
    const dir = path.join(hostile.unprivileged ? lockedCorpus : corpus, folder)
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, 'ok.png'), await solidImage(16, 16, companionColour(index)).png().toBuffer())
    const name = typeof hostile.name === 'string' ? Buffer.from(hostile.name) : hostile.name
    await hostile.write(Buffer.concat([Buffer.from(`${dir}/`), name]), { outside, marker })
    cases.push({ case: hostile, folder, dir })
  }
  return { corpus, lockedCorpus, outside, marker, cases }
}
