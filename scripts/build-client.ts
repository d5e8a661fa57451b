// Builds the chat client and the operator console into client/dist when the build is missing (or always, with --force).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const root = path.resolve(import.meta.dirname, '..')
const index = path.join(root, 'client/dist/index.html')
const consolePage = path.join(root, 'client/dist/admin.html')

if (process.argv.includes('--force') || !existsSync(index) || !existsSync(consolePage)) {
  await build({ configFile: path.join(root, 'client/vite.config.ts'), logLevel: 'warn' })
  process.stdout.write('client built into client/dist\n')
}
