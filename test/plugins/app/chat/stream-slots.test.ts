// Stream slots: at most N turns in flight per session, per process or shared through the real Redis.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { Redis } from 'ioredis'
import { createStreamSlots } from '../../../../plugins/app/chat/stream-slots.ts'
import { buildTestApp } from '../../../helpers/app.ts'
import { freePort } from '../../../helpers/free-port.ts'

t.test('per process: N slots per session, a release gives one back, twice is once', async (t) => {
  const slots = createStreamSlots(2)
  const a = await slots.tryAcquire('s1')
  const b = await slots.tryAcquire('s1')
  t.ok(a && b)
  t.equal(await slots.tryAcquire('s1'), null, 'the third is refused')
  t.ok(await slots.tryAcquire('s2'), 'another session has its own')
  a!()
  a!()
  t.ok(await slots.tryAcquire('s1'), 'one slot back')
  t.equal(await slots.tryAcquire('s1'), null, 'only one: the second release of the same slot did nothing')
})

t.test('through Redis: two instances share the cap; a slot expires if never released', async (t) => {
  const prefix = `salient-test:${randomBytes(6).toString('hex')}:`
  const direct = new Redis('redis://127.0.0.1:6379')
  t.teardown(async () => {
    const keys = await direct.keys(`${prefix}*`)
    if (keys.length) await direct.del(...keys)
    direct.disconnect()
  })
  const { app } = await buildTestApp(t, { config: { redis: { url: 'redis://127.0.0.1:6379', key_prefix: prefix } } })
  const one = createStreamSlots(1, { redis: app.redis!, holdMs: 60_000 })
  const other = createStreamSlots(1, { redis: app.redis!, holdMs: 60_000 })
  const release = await one.tryAcquire('s1')
  t.ok(release)
  t.equal(await other.tryAcquire('s1'), null, 'the other instance sees the slot taken')
  const ttl = await direct.pttl(`${prefix}streams:s1`)
  t.ok(ttl > 0 && ttl <= 60_000, 'the count expires if its holder dies')
  release!()
  for (let i = 0; i < 100 && await direct.exists(`${prefix}streams:s1`); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.ok(await other.tryAcquire('s1'), 'released: the other instance gets it')
})

t.test('Redis unreachable: slots are counted in this process', async (t) => {
  const { app } = await buildTestApp(t, { config: { redis: { url: `redis://127.0.0.1:${await freePort()}` } } })
  t.equal(app.redis?.usable, false)
  const slots = createStreamSlots(1, { redis: app.redis!, holdMs: 60_000 })
  t.ok(await slots.tryAcquire('s1'))
  t.equal(await slots.tryAcquire('s1'), null)
})
