// Graceful shutdown of the real server process: SIGTERM while replies stream. It stops accepting connections, lets
// streams finish for server.shutdown_grace_ms, cuts the rest and saves their partial replies, closes the pool, exits 0.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { startFakeOpenRouter } from '../helpers/fake-openrouter.ts'
import { openDb, testDatabase } from '../helpers/db.ts'
import { streamOutcome } from '../helpers/sse.ts'
import { freePort } from '../helpers/free-port.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const GRACE_MS = 1500

t.test('SIGTERM: short streams finish, long ones are cut and saved as partial, nothing acknowledged is lost, exit 0', async (t) => {
  const { url: databaseUrl } = await testDatabase(t)
  const db = openDb(t, databaseUrl)
  const fake = await startFakeOpenRouter({ defaults: { firstTokenDelayMs: 50, deltas: 40, interChunkDelayMs: 150 } })
  t.teardown(() => fake.close())
  const dir = mkdtempSync(path.join(tmpdir(), 'salient-shutdown-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const overlay = path.join(dir, 'app.yaml')
  writeFileSync(overlay, [
    'server: { shutdown_grace_ms: ' + GRACE_MS + ' }',
    'database: { migrate_on_start: false, pool_size: 4 }',
    'llm: { reconcile_delays_ms: [10] }',
    'chat: { rate_limit: { per_session_per_minute: 1000, per_ip_per_minute: 1000 } }'
  ].join('\n'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      OPENROUTER_API_KEY: 'sk-or-v1-shutdown-test',
      OPENROUTER_BASE_URL: fake.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_CONFIG: overlay,
      LOG_LEVEL: 'info'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const output: string[] = []
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false)
    if (ok) break
    if (i > 300) throw new Error(`server did not start: ${output.join('')}`)
    await sleep(100)
  }

  // Three long replies (about 6 s), two short ones (well inside the grace), and one long POST /chat.
  const messages = ['long one', 'long two', 'long three', 'short one [[fake:deltas=4,delay=300]]', 'short two [[fake:deltas=4,delay=300]]']
  const streams = messages.map(async (message) => {
    const res = await fetch(`${base}/events/stream?message=${encodeURIComponent(message)}`)
    return { message, status: res.status, ...streamOutcome(await res.text()) }
  })
  const posted = fetch(`${base}/chat`, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ message: 'long post' })
  }).then(async (res) => ({ status: res.status, body: await res.json() as { reply: string, status: string, message_id: string } }))
  await fake.waitFor(() => fake.stats.streamsStarted === messages.length + 1, 10_000)
  await sleep(300) // every reply has some text

  const signalled = Date.now()
  child.kill('SIGTERM')
  await sleep(200)
  const refused = await fetch(`${base}/health`).then(() => false, () => true)
  t.ok(refused, 'no new connections are accepted once the signal arrived')

  const { code, signal } = await exited
  const took = Date.now() - signalled
  t.equal(code, 0, 'exit code 0')
  t.equal(signal, null)
  t.ok(took >= GRACE_MS - 100, `the open streams were given the grace period (exited after ${took} ms)`)
  t.ok(took < GRACE_MS + 8000, 'and the server did not wait for the long replies to finish')

  const results = await Promise.all(streams)
  for (const r of results) {
    t.equal(r.status, 200, `${r.message}: acknowledged`)
    const expected = r.message.startsWith('short') ? 'complete' : 'partial'
    t.match(r.end, { status: expected, message_id: String }, `${r.message}: ended ${expected}`)
  }
  const post = await posted
  t.equal(post.status, 200)
  t.equal(post.body.status, 'partial', 'the POST was answered with its partial reply')

  const stored = await db.selectFrom('messages').select(['id', 'role', 'content', 'metadata']).orderBy('created_at').execute()
  const humans = stored.filter((m) => m.role === 'human')
  const replies = stored.filter((m) => m.role === 'assistant')
  t.equal(humans.length, messages.length + 1, 'every human message is stored')
  t.equal(replies.length, messages.length + 1, 'every turn has its reply stored')
  for (const r of results) {
    const reply = replies.find((m) => m.id === r.end.message_id)
    t.ok(reply && reply.content.length > 0 && r.text === reply.content, `${r.message}: the stored reply is what was streamed`)
  }
  t.equal(replies.filter((m) => m.metadata.status === 'partial').length, 4, 'the cut replies are saved as partial')
  const rows = await db.selectFrom('llm_requests').select('id').execute()
  t.equal(rows.length, messages.length + 1, 'one llm_requests row per turn')
  const log = output.join('')
  t.match(log, /"event":"chat.drained","finished":2,"aborted":4/, 'the drain is logged')
  t.match(log, /"event":"server.closed"/)
})
