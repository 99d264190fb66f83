#!/usr/bin/env node
// Runs the CLI from the built bundle when it is there and current; in a source checkout without a
// build it runs the TypeScript sources through tsx, so `npx vae-studio` works straight after `npm ci`.
const { existsSync, statSync } = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const built = path.join(root, 'out', 'main', 'cli.js')
const sources = path.join(root, 'src', 'main', 'cli', 'index.ts')

function builtIsCurrent() {
  if (!existsSync(built)) return false
  if (!existsSync(sources)) return true
  return statSync(built).mtimeMs >= newestSourceTime(path.join(root, 'src'))
}

function newestSourceTime(dir) {
  let newest = 0
  for (const entry of require('node:fs').readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full))
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs)
  }
  return newest
}

if (builtIsCurrent()) {
  require(built)
} else {
  require('tsx/cjs')
  require(sources)
}
