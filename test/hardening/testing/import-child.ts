/**
 * Imports folders in a process of its own, so a test can run the import as an unprivileged user
 * (for whom permission bits bind; root reads everything). Jobs come as JSON in argv[2]; the
 * outcome of each is printed as one JSON array on stdout.
 */
import { defaultImportOptions } from '../../../src/shared/config'
import { importFolder } from '../../../src/main/engine/dataset/import-folder'
import { messageOf } from '../../../src/shared/errors'

interface Job {
  folder: string
  out: string
}

async function main(): Promise<void> {
  const jobs = JSON.parse(process.argv[2] ?? '[]') as Job[]
  const outcomes = []
  for (const { folder, out } of jobs) {
    try {
      outcomes.push({
        folder,
        result: await importFolder(folder, out, {
          ...defaultImportOptions,
          size: 32,
          fit: 'crop',
          channels: 3,
          faces: { ...defaultImportOptions.faces, find: false }
        })
      })
    } catch (err) {
      outcomes.push({ folder, error: messageOf(err) })
    }
  }
  process.stdout.write(JSON.stringify(outcomes))
}

void main()
