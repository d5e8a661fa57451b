// `npm start`, `npm run migrate`, `npm run purge`: runs a compiled entry point from dist/ in this process, building
// first (`npm run build`) when the build is missing or older than the sources. Plain JavaScript, because a production
// install (`npm ci --omit=dev`) has neither TypeScript nor tsx: there, an existing build is run as it is.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { newestChange } from './newest-change.js'

const root = path.resolve(import.meta.dirname, '..')
const BUILD_STAMP = path.join(root, 'dist/.built')
// What the build reads: the server's sources, the client's, and the settings of both compilers.
const SOURCES = ['src', 'plugins', 'db', 'migrations', 'client', 'tsconfig.json', 'tsconfig.build.json']

function isStale () {
  if (!existsSync(BUILD_STAMP)) return true
  const built = statSync(BUILD_STAMP).mtimeMs
  return SOURCES.some((source) => newestChange(path.join(root, source)) > built)
}

function canBuild () {
  return existsSync(path.join(root, 'node_modules/typescript')) && existsSync(path.join(root, 'node_modules/vite'))
}

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  process.stderr.write('usage: node scripts/run-built.js <entry, e.g. src/server> [args]\n')
  process.exit(64)
}
const compiled = path.join(root, 'dist', `${entry}.js`)

if (isStale()) {
  if (canBuild()) {
    process.stderr.write('building the server and the client (the build is missing or older than the sources)…\n')
    const npm = process.env.npm_execpath
    const build = npm
      ? spawnSync(process.execPath, [npm, 'run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
      : spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) process.exit(build.status ?? 1)
  } else if (!existsSync(compiled)) {
    process.stderr.write(`${path.relative(root, compiled)} is missing and this install cannot build it (no TypeScript): run \`npm run build\` where dev dependencies are installed\n`)
    process.exit(1)
  } else {
    process.stderr.write('the build is older than the sources, and this install cannot rebuild it: running it as it is\n')
  }
}

// The entry point sees itself as the script that was started, with its own arguments.
process.argv = [process.argv[0], compiled, ...args]
await import(pathToFileURL(compiled).href)
