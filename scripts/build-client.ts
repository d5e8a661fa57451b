// Builds the chat client into client/dist when the build is missing (or always, with --force).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const root = path.resolve(import.meta.dirname, '..')
const index = path.join(root, 'client/dist/index.html')
const widget = path.join(root, 'client/dist/widget.js')

if (process.argv.includes('--force') || !existsSync(index) || !existsSync(widget)) {
  await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn' })
  // The launcher for other sites: a second, library build (one IIFE file) into the same directory.
  await build({ configFile: path.join(root, 'client/vite.widget.config.ts'), logLevel: 'warn' })
  process.stdout.write('client built into client/dist\n')
}
