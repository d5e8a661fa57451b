import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { buildTestApp } from '../../helpers/app.ts'

t.test('health reports the database', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { status: 'ok', database: { ok: true, latency_ms: Number } })
})

t.test('health answers 503 quickly when Postgres is unreachable, and routes answer 503 JSON', async (t) => {
  const app = await buildApp({
    configOptions: { env: {}, overrides: { database: { url: 'postgres://postgres@127.0.0.1:1/nowhere', pool_timeout_ms: 1000 }, llm: { provider: 'offline' } } },
    logger: false
  })
  t.teardown(() => app.close())
  const started = Date.now()
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 503)
  t.match(res.json(), { status: 'degraded', database: { ok: false } })
  t.ok(Date.now() - started < 3000, 'answered within the health timeout')
  const session = await app.inject({ url: '/api/session' })
  t.equal(session.statusCode, 503)
  t.same(session.json().error.code, 'database_unavailable')
  t.ok(session.headers['retry-after'])
})

t.test('with no database URL the server runs an embedded Postgres, migrates, and reuses it on the next start', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'salient-embedded-'))
  chmodSync(dir, 0o755) // as root, Postgres runs as its own user and must reach the data folder
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const port = 55000 + Math.floor(Math.random() * 5000)
  const config = { database: { url: null, embedded: { data_dir: path.join(dir, 'pg'), port } }, llm: { provider: 'offline' } }
  const first = await buildApp({ configOptions: { env: {}, overrides: config }, logger: false })
  const res = await first.inject({ url: '/api/session' })
  t.equal(res.statusCode, 200, 'migrated and serving')
  const sessionId = res.json().session_id
  const cookie = String(res.headers['set-cookie']).split(';')[0]
  await first.close()

  const second = await buildApp({ configOptions: { env: {}, overrides: config }, logger: false })
  t.teardown(() => second.close())
  const again = await second.inject({ url: '/api/session', headers: { cookie } })
  t.equal(again.json().session_id, sessionId, 'the data survived the restart')
  t.equal((await second.inject({ url: '/health' })).statusCode, 200)
})
