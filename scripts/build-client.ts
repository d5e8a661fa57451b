// Builds the chat client and the operator console into client/dist when the build is missing (or always, with --force).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const root = path.resolve(import.meta.dirname, '..')
const index = path.join(root, 'client/dist/index.html')
const widget = path.join(root, 'client/dist/widget.js')
const consolePage = path.join(root, 'client/dist/admin.html')

if (process.argv.includes('--force') || ![index, widget, consolePage].every(existsSync)) {
  await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn' })
  // The launcher for other sites: a second, library build (one IIFE file) into the same directory.
  await build({ configFile: path.join(root, 'client/vite.widget.config.ts'), logLevel: 'warn' })
  // The operator console (/admin): a build of its own, so it shares no chunk with the chat.
  await build({ configFile: path.join(root, 'client/vite.console.config.ts'), logLevel: 'warn' })
  process.stdout.write('client built into client/dist\n')
}
