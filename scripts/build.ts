// `npm run build`: the server compiled by tsc into dist/ (tsconfig.build.json: the .ts imports become .js), the browser
// apps built by Vite into client/dist (scripts/build-client.ts); then dist/.built marks the time of a complete build
// (scripts/run-built.js compares it with the sources).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
const client = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build-client.ts'), '--force'], { stdio: 'inherit' })
if (client.status !== 0) process.exit(client.status ?? 1)
mkdirSync(path.join(root, 'dist'), { recursive: true })
writeFileSync(path.join(root, 'dist/.built'), `${new Date().toISOString()}\n`)
process.stdout.write('server built into dist/\n')
