// Builds the chat client and the operator console into client/dist when the build is missing or older than a source
// under client/ (judged as scripts/run-built.js judges the server's build), or always, with --force.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'
import { newestChange } from './newest-change.js'

const root = path.resolve(import.meta.dirname, '..')
const client = path.join(root, 'client')
/** A file of each of the three builds below; the oldest of them is when the client was last built. */
const OUTPUTS = ['dist/index.html', 'dist/widget.js', 'dist/admin.html'].map((file) => path.join(client, file))

function isStale (): boolean {
  if (!OUTPUTS.every(existsSync)) return true
  const built = Math.min(...OUTPUTS.map((file) => statSync(file).mtimeMs))
  return newestChange(client) > built
}

if (process.argv.includes('--force') || isStale()) {
  await build({ configFile: path.join(client, 'vite.config.ts'), logLevel: 'warn' })
  // The launcher for other sites: a second, library build (one IIFE file) into the same directory.
  await build({ configFile: path.join(client, 'vite.widget.config.ts'), logLevel: 'warn' })
  // The operator console (/admin): a build of its own, so it shares no chunk with the chat.
  await build({ configFile: path.join(client, 'vite.console.config.ts'), logLevel: 'warn' })
  process.stdout.write('client built into client/dist\n')
}
