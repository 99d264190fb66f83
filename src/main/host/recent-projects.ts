/** The recent-projects list: newest first, at most ten, and only projects that are still there. */
import { existsSync } from 'node:fs'
import * as path from 'node:path'

const maxRecent = 10

/** A project folder moved or deleted since it was opened is not offered (nor allowed). */
export function existingProjects(recent: readonly string[]): string[] {
  return recent.filter((project) => existsSync(path.join(project, 'project.json')))
}

export function withRecent(recent: readonly string[], opened: string): string[] {
  return [opened, ...recent.filter((p) => p !== opened)].slice(0, maxRecent)
}
