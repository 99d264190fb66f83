/** The installed package's root, found from this file whether it runs bundled (out/main) or from sources. */
import { existsSync } from 'node:fs'
import * as path from 'node:path'

export function packageRoot(): string {
  let dir = __dirname
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('cannot find the vae-studio package folder')
    dir = parent
  }
  return dir
}
