// Child processes of a benchmark: the fake OpenRouter server and the chat server (node --import tsx src/server.ts),
// each started on a free loopback port, watched (RSS, event-loop delay) and stopped with the benchmark.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse as parseYaml, stringify as toYaml } from 'yaml'
import { freePort } from '../../test/helpers/free-port.ts'

export const ROOT = resolve(import.meta.dirname, '../..')
/** Where the server and the fake LLM are started from: this checkout, or BENCH_APP_ROOT (e.g. an export of a commit). */
export const APP_ROOT = resolve(process.env.BENCH_APP_ROOT ?? ROOT)
const ELD_PRELOAD = resolve(import.meta.dirname, 'eld-preload.ts')
const SQL_CAPTURE_PRELOAD = resolve(import.meta.dirname, 'sql-capture-preload.ts')

const children = new Set<ChildProcess>()
process.once('exit', () => { for (const child of children) child.kill('SIGKILL') })

function track (child: ChildProcess, label: string): { output: () => string } {
  children.add(child)
  let tail = ''
  const keep = (chunk: Buffer) => { tail = (tail + chunk.toString('utf8')).slice(-64000) }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.once('exit', () => children.delete(child))
  child.once('error', (err) => { tail += `\n[${label}] ${err.message}` })
  return { output: () => tail }
}

async function stopChild (child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

export interface FakeLlm { url: string, pid: number, stop: () => Promise<void> }

export interface FakeLlmOptions { firstTokenDelayMs?: number, interChunkDelayMs?: number, deltas?: number }

/** The fake OpenRouter server in its own process, so its work is not counted in the load generator's event loop. */
export async function startFakeLlm (opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const args = ['--import', 'tsx', 'test/helpers/fake-openrouter.ts', '--port', '0']
  if (opts.firstTokenDelayMs !== undefined) args.push('--first-token-delay-ms', String(opts.firstTokenDelayMs))
  if (opts.interChunkDelayMs !== undefined) args.push('--inter-chunk-delay-ms', String(opts.interChunkDelayMs))
  if (opts.deltas !== undefined) args.push('--deltas', String(opts.deltas))
  const child = spawn(process.execPath, args, { cwd: APP_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const { output } = track(child, 'fake-llm')
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = ''
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      const line = buffer.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        child.stdout!.off('data', onData)
        resolve((JSON.parse(line) as { url: string }).url)
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`fake LLM exited (${code}): ${output()}`)))
  })
  return { url, pid: child.pid!, stop: () => stopChild(child) }
}

export interface ServerOptions {
  databaseUrl: string
  llmUrl: string
  /** Laid over app.yaml through APP_CONFIG. */
  overlay?: Record<string, unknown>
  /** Load bench/lib/eld-preload.ts and report the event-loop delay. */
  eventLoopDelay?: boolean
  /** Write a V8 CPU profile into this folder when the server exits. */
  cpuProfileDir?: string
  /** Append every SQL statement the server sends to this file (JSON lines). */
  sqlCaptureFile?: string
  logLevel?: string
  label?: string
}

export interface EventLoopDelay {
  p50: number
  p99: number
  max: number
  mean: number
  samples: number
  /** Peaks since the last reset, MB. */
  heapUsedMb: number
  heapTotalMb: number
  externalMb: number
  arrayBuffersMb: number
}

export interface ServerProcess {
  url: string
  port: number
  pid: number
  /** Current and peak resident set size, MB (from /proc/<pid>/status). */
  memory: () => { rssMb: number, hwmMb: number }
  /** Starts the event-loop delay histogram afresh (eventLoopDelay only). */
  resetEventLoopDelay: () => Promise<void>
  eventLoopDelay: () => Promise<EventLoopDelay | null>
  stop: () => Promise<void>
}

/** database.pool_size as app.yaml sets it (benchmarks use the shipped pool unless told otherwise). */
export function appPoolSize (): number {
  try {
    const config = parseYaml(readFileSync(join(APP_ROOT, 'app.yaml'), 'utf8')) as { database?: { pool_size?: number } }
    return config.database?.pool_size ?? 20
  } catch {
    return 20
  }
}

/** Overlay for load tests: limits that protect one visitor would otherwise throttle the load generator. */
export function loadTestOverlay (poolSize: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return deepMerge({
    database: { pool_size: poolSize },
    chat: {
      max_concurrent_streams_per_session: 1000,
      rate_limit: { per_session_per_minute: 1_000_000, per_ip_per_minute: 10_000_000 }
    },
    // The fake reports usage on every complete stream: nothing to reconcile.
    llm: { max_retries: 0 }
  }, extra)
}

function deepMerge (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k]
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v
  }
  return out
}

function isPlain (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function readStatusMb (pid: number): { rssMb: number, hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
  } catch {
    return { rssMb: 0, hwmMb: 0 }
  }
}

export async function startServer (opts: ServerOptions): Promise<ServerProcess> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'salient-bench-'))
  const overlayFile = join(dir, 'overlay.yaml')
  writeFileSync(overlayFile, toYaml(opts.overlay ?? loadTestOverlay(10)))
  const eldFile = join(dir, 'eld.json')
  const args = ['--import', 'tsx']
  if (opts.eventLoopDelay) args.push('--import', ELD_PRELOAD)
  if (opts.sqlCaptureFile) args.push('--import', SQL_CAPTURE_PRELOAD)
  if (opts.cpuProfileDir) args.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir)
  // Extra node flags for investigations, e.g. BENCH_SERVER_NODE_ARGS='--heapsnapshot-signal=SIGWINCH'.
  if (process.env.BENCH_SERVER_NODE_ARGS) args.push(...process.env.BENCH_SERVER_NODE_ARGS.split(' ').filter(Boolean))
  args.push('src/server.ts')
  // Through sh only to raise the open-files limit to the hard limit (2,000 streams need 4,000+ sockets); exec keeps the pid.
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...args], {
    cwd: APP_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      OPENROUTER_API_KEY: 'bench',
      OPENROUTER_BASE_URL: opts.llmUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: opts.logLevel ?? 'warn',
      APP_CONFIG: overlayFile,
      BENCH_ELD_FILE: eldFile,
      BENCH_SQL_CAPTURE_FILE: opts.sqlCaptureFile ?? '',
      NODE_ENV: 'production'
    }
  })
  const { output } = track(child, opts.label ?? 'server')
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it was ready:\n${output()}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server not ready within 30 s:\n${output()}`)
    }
    await sleep(100)
  }
  const pid = child.pid!
  return {
    url,
    port,
    pid,
    memory: () => readStatusMb(pid),
    async resetEventLoopDelay () {
      if (!opts.eventLoopDelay) return
      writeFileSync(`${eldFile}.reset`, '')
      const deadline = Date.now() + 5000
      while (existsSync(`${eldFile}.reset`) && Date.now() < deadline) await sleep(20)
    },
    async eventLoopDelay () {
      if (!opts.eventLoopDelay) return null
      await sleep(300) // the preload writes its figures every 200 ms
      try {
        return JSON.parse(readFileSync(eldFile, 'utf8')) as EventLoopDelay
      } catch {
        return null
      }
    },
    async stop () {
      await stopChild(child)
      rmSync(dir, { recursive: true, force: true })
      if (process.env.BENCH_DEBUG) process.stderr.write(output())
    }
  }
}
