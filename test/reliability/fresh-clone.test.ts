// A fresh clone anywhere: the repository cloned into a new `mktemp -d` folder (0700, so as root the embedded Postgres's
// own user cannot enter it) under a path with spaces, started with no DATABASE_URL: the embedded Postgres comes up.
// Ctrl+C in a terminal signals the whole foreground process group: the server drains and saves the replies in flight,
// then stops the embedded Postgres, and exits 0. An embedded Postgres that cannot start is one line and a non-zero exit.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import pino from 'pino'
import t from 'tap'
import { startEmbeddedPostgres } from '../../db/embedded-postgres.ts'
import { startFakeOpenRouter } from '../helpers/fake-openrouter.ts'
import { freePort } from '../helpers/free-port.ts'
import { streamOutcome } from '../helpers/sse.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const GRACE_MS = 1000

interface Teardown { teardown: (fn: () => unknown) => void }

function cloneRepository (t: Teardown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'salient-clone-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const clone = path.join(dir, 'a clone with spaces')
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone])
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules')) // an install takes minutes
  return clone
}

function startServer (cwd: string, env: Record<string, string>) {
  const { DATABASE_URL: _url, ...inherited } = process.env
  // detached: a process group of its own, as a shell gives a foreground job, so the test can signal all of it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd, detached: true, env: { ...inherited, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, stdout, stderr, exited }
}

t.test('cloned into a 0700 folder with spaces: the embedded Postgres starts, and Ctrl+C (SIGINT to the group) saves the replies, then stops it', async (t) => {
  const clone = cloneRepository(t)
  const fake = await startFakeOpenRouter({ defaults: { firstTokenDelayMs: 50, deltas: 60, interChunkDelayMs: 150 } })
  t.teardown(() => fake.close())
  const port = await freePort()
  const pgPort = await freePort()
  const overlay = path.join(clone, 'test-overlay.yaml')
  writeFileSync(overlay, [
    `server: { shutdown_grace_ms: ${GRACE_MS} }`,
    `database: { embedded: { port: ${pgPort} } }`,
    'llm: { reconcile_delays_ms: [10] }'
  ].join('\n'))
  const server = startServer(clone, {
    OPENROUTER_API_KEY: 'sk-or-v1-fresh-clone', OPENROUTER_BASE_URL: fake.url, HOST: '127.0.0.1', PORT: String(port), APP_CONFIG: overlay
  })
  t.teardown(() => { if (server.child.exitCode === null) process.kill(-server.child.pid!, 'SIGKILL') })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break
    if (server.child.exitCode !== null || i > 1200) throw new Error(`the server did not start:\n${server.stdout.join('')}${server.stderr.join('')}`)
    await sleep(100)
  }
  const started = server.stdout.join('').split('\n').find((line) => line.includes('"embedded_postgres.started"'))
  const dataDir = (JSON.parse(started ?? '{}') as { data_dir?: string }).data_dir
  t.ok(dataDir, 'the embedded Postgres said where its data is')
  if (dataDir && !dataDir.startsWith(clone)) t.teardown(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }))
  if (process.getuid?.() === 0) t.notOk(dataDir?.startsWith(clone), 'as root, the data moved where the postgres user can reach it')

  const streams = ['first long reply', 'second long reply'].map(async (message) => {
    const res = await fetch(`${base}/events/stream?message=${encodeURIComponent(message)}`)
    return streamOutcome(await res.text())
  })
  await fake.waitFor(() => fake.stats.streamsStarted === 2, 20_000)
  await sleep(300)
  process.kill(-server.child.pid!, 'SIGINT') // what the terminal does on Ctrl+C

  const { code, signal } = await server.exited
  t.equal(code, 0, 'exit code 0')
  t.equal(signal, null)
  const output = server.stdout.join('')
  t.match(output, /"event":"chat.drained","finished":0,"aborted":2/, 'the open turns were cut and saved')
  t.match(output, /"event":"embedded_postgres.stopped"/, 'the embedded Postgres was stopped by the server')
  t.ok(dataDir && !existsSync(path.join(dataDir, 'postmaster.pid')), 'and it is not running any more')
  t.equal(server.stderr.join(''), '', 'nothing on stderr')

  const ends = await Promise.all(streams)
  for (const end of ends) t.match(end.end, { status: 'partial', message_id: String }, 'each stream ended with its saved partial reply')

  // The replies are in the database: start the clone's cluster again and look.
  const again = await startEmbeddedPostgres({ dataDir: path.join(clone, '.data/postgres'), port: pgPort, log: pino({ level: 'silent' }) })
  t.equal(again.dataDir, dataDir, 'the clone finds its cluster again')
  const client = new pg.Client({ connectionString: again.url })
  await client.connect()
  const { rows } = await client.query<{ content: string, status: string }>(
    "select content, metadata->>'status' as status from messages where role = 'assistant' order by created_at")
  await client.end()
  await again.stop()
  t.equal(rows.length, 2, 'both replies are stored')
  for (const [i, row] of rows.entries()) {
    t.equal(row.status, 'partial')
    t.ok(row.content.length > 0 && ends.some((end) => end.text === row.content), `reply ${i + 1} is what was streamed`)
  }
})

t.test('an embedded Postgres that cannot start: one line on stderr, a non-zero exit, no stack trace', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'salient-pg-fail-'))
  chmodSync(dir, 0o755) // reachable by the postgres user: the cluster is made here, and only its start fails
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // Its port is taken: Postgres cannot listen, and exits while starting.
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => taken.close())
  const address = taken.address()
  const pgPort = typeof address === 'object' && address ? address.port : 0
  const overlay = path.join(dir, 'overlay.yaml')
  writeFileSync(overlay, `database: { embedded: { data_dir: "${dir}/postgres", port: ${pgPort} } }\n`)
  const server = startServer(ROOT, { APP_CONFIG: overlay, PORT: String(await freePort()), LOG_LEVEL: 'warn' })
  t.teardown(() => { if (server.child.exitCode === null) process.kill(-server.child.pid!, 'SIGKILL') })
  const { code } = await server.exited
  t.equal(code, 69, 'exits with EX_UNAVAILABLE')
  const lines = server.stderr.join('').trim().split('\n')
  t.equal(lines.length, 1, 'one line')
  t.match(lines[0], /^embedded Postgres: exited while starting \(exit 1\): FATAL: .*could not/, 'that says what is wrong')
  t.notMatch(server.stderr.join(''), /\n\s+at /, 'no stack trace')
})
