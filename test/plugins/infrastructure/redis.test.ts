// redis.url: rate limits and per-session stream caps shared by every instance through the real Redis at
// 127.0.0.1:6379 (a key prefix per test); Redis unreachable from the start, or going away mid-run: per-process limits,
// one warning, and every request still served.
import { randomBytes } from 'node:crypto'
import { createServer, connect, type Socket } from 'node:net'
import t from 'tap'
import { Redis } from 'ioredis'
import { buildTestApp } from '../../helpers/app.ts'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'
import { freePort } from '../../helpers/free-port.ts'

const REDIS_URL = 'redis://127.0.0.1:6379'

interface Teardown { teardown: (fn: () => unknown) => void }

/** A key prefix of this test's own; its keys are deleted afterwards. */
function uniquePrefix (t: Teardown): string {
  const prefix = `salient-test:${randomBytes(6).toString('hex')}:`
  t.teardown(async () => {
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
  })
  return prefix
}

const warnings = (logs: string[]) => logs.filter((line) => line.includes('"event":"redis.unavailable"'))

t.test('two instances, one limit: the per-IP rate limit is counted once for both', async (t) => {
  const redis = { url: REDIS_URL, key_prefix: uniquePrefix(t) }
  const limits = { chat: { rate_limit: { per_ip_per_minute: 6, per_session_per_minute: 100 } } }
  const a = await buildTestApp(t, { config: { redis, ...limits } })
  const b = await buildTestApp(t, { databaseUrl: a.databaseUrl, config: { redis, ...limits } })
  const statuses: number[] = []
  for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? b : a).app.inject({ url: '/api/session' })).statusCode)
  t.same(statuses, [200, 200, 200, 200, 200, 200, 429, 429], 'the seventh request is refused, whichever instance gets it')
  t.same(warnings(a.logs), [])

  // Without Redis, each instance counts its own share: the same eight requests all pass.
  const c = await buildTestApp(t, { databaseUrl: a.databaseUrl, config: limits })
  const d = await buildTestApp(t, { databaseUrl: a.databaseUrl, config: limits })
  const apart: number[] = []
  for (let i = 0; i < 8; i++) apart.push((await (i % 2 ? d : c).app.inject({ url: '/api/session' })).statusCode)
  t.same(apart, [200, 200, 200, 200, 200, 200, 200, 200])
})

t.test('two instances, one stream cap: a session streaming on one cannot open a second stream on the other', async (t) => {
  const redis = { url: REDIS_URL, key_prefix: uniquePrefix(t) }
  const config = { redis, chat: { max_concurrent_streams_per_session: 1 } }
  const slow = { defaults: { firstTokenDelayMs: 20, deltas: 20, interChunkDelayMs: 100 } }
  const a = await buildChatApp(t, { config, fake: slow })
  const b = await buildChatApp(t, { databaseUrl: a.databaseUrl, config, fake: slow })
  const onA = visitor(a.app)
  await onA.session()
  // The same visitor, sent to the other instance by the balancer.
  const cookie = onA.cookie!
  const long = onA.stream('a long reply')
  await a.fake.waitFor(() => a.fake.stats.streamsStarted === 1, 10_000)
  const second = await b.app.inject({ url: '/events/stream?message=another', headers: { cookie } })
  t.equal(second.statusCode, 429)
  t.equal(second.json().error.code, 'too_many_streams')
  t.match((await long).end, { status: 'complete' })
  const third = await b.app.inject({ url: '/events/stream?message=now%20it%20fits', headers: { cookie } })
  t.equal(third.statusCode, 200, 'the slot was given back when the first stream ended')
})

t.test('Redis unreachable from the start: the server starts, limits are per process, one warning', async (t) => {
  const closedPort = await freePort()
  const { app, logs } = await buildTestApp(t, {
    config: { redis: { url: `redis://127.0.0.1:${closedPort}`, key_prefix: uniquePrefix(t) }, chat: { rate_limit: { per_ip_per_minute: 4 } } }
  })
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await app.inject({ url: '/api/session' })).statusCode)
  t.same(statuses, [200, 200, 200, 200, 429, 429], 'the limit still holds, counted in this process')
  t.equal(warnings(logs).length, 1, 'one warning for the outage, not one per request')
  t.match(warnings(logs)[0], /"level":40/)
})

t.test('Redis going away mid-run: requests keep being served, per process, after one warning', async (t) => {
  // A proxy in front of the real Redis, closed mid-run as a Redis restart or a network cut would.
  const sockets = new Set<Socket>()
  const proxy = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const prefix = uniquePrefix(t)
  const { app, logs } = await buildTestApp(t, {
    config: { redis: { url: `redis://127.0.0.1:${port}`, key_prefix: prefix }, chat: { rate_limit: { per_ip_per_minute: 1000 } } }
  })
  t.equal((await app.inject({ url: '/api/session' })).statusCode, 200)
  const direct = new Redis(REDIS_URL)
  t.teardown(() => direct.disconnect())
  t.ok((await direct.keys(`${prefix}ratelimit:*`)).length > 0, 'counted in Redis while it answers')

  proxy.close()
  for (const s of sockets) s.destroy()
  const statuses: number[] = []
  for (let i = 0; i < 20; i++) statuses.push((await app.inject({ url: '/api/session' })).statusCode)
  t.same(new Set(statuses), new Set([200]), 'every request served')
  t.equal(warnings(logs).length, 1, 'one warning')
})
