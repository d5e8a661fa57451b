// Benchmark 5, peers (bench/peers/bench.ts): the libraries it compares the app with (LangChain, Mastra and theirs) are
// not the app's dependencies; they are installed into bench/peers/node_modules from bench/peers/package-lock.json the
// first time the benchmark runs (and again when that lock file changes).
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'

const dir = path.join(import.meta.dirname, 'peers')
const installed = path.join(dir, 'node_modules/.package-lock.json')

function needsInstall (): boolean {
  return !existsSync(installed) || statSync(path.join(dir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs
}

if (needsInstall()) {
  process.stderr.write('[peers] installing the peer libraries into bench/peers/node_modules\n')
  // No install scripts: none of the peers needs one to be imported.
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: 'inherit' })
  if (npm.status !== 0) {
    process.stderr.write('[peers] npm ci failed in bench/peers\n')
    process.exit(npm.status ?? 1)
  }
}

// A specifier in a variable: the type checker must not follow it into libraries that only bench/peers installs.
const peersBench = './peers/bench.ts'
await import(peersBench)
