import t from 'tap'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { backoffMs, QUICK, transientKind, withRetry, type RetryPolicy } from '../../db/retry.ts'
import { isReadOnly, RetryingPostgresDialect } from '../../db/retrying-dialect.ts'
import { isDatabaseUnavailable } from '../../plugins/infrastructure/errors/error-classes.ts'
import type { DB } from '../../db/types.ts'
import { testDatabase } from '../helpers/db.ts'

const fast: RetryPolicy = { attempts: 5, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5000 }
const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code })

t.test('errors are sorted into not applied, outcome unknown, and not transient', async (t) => {
  for (const code of ['40001', '40P01', '57P03', '53300', '08001', '08004', 'ECONNREFUSED']) {
    t.equal(transientKind(pgError(code)), 'not_applied', code)
  }
  for (const code of ['57P01', '08006', '08003', '08000', 'ECONNRESET']) t.equal(transientKind(pgError(code)), 'unknown', code)
  t.equal(transientKind(new Error('Connection terminated unexpectedly')), 'unknown')
  t.equal(transientKind(new Error('timeout exceeded when trying to connect')), 'not_applied')
  for (const code of ['08007', '23505', '22P02', '42P01', '57014']) t.equal(transientKind(pgError(code)), null, code)
  t.equal(transientKind(null), null)
  t.ok(isDatabaseUnavailable(pgError('08007')), 'an unknown transaction outcome is still a 503')
  t.ok(isDatabaseUnavailable(pgError('57014')), 'a statement timeout is a 503')
  t.notOk(isDatabaseUnavailable(pgError('23505')), 'a constraint violation is not')
})

t.test('backoff grows exponentially, with jitter, up to the cap', async (t) => {
  const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000 }
  t.equal(backoffMs(1, policy, () => 1), 100)
  t.equal(backoffMs(1, policy, () => 0), 50)
  t.equal(backoffMs(3, policy, () => 1), 400)
  t.equal(backoffMs(9, policy, () => 1), 1000)
})

t.test('work that did not happen is repeated until it succeeds', async (t) => {
  let calls = 0
  const retries: string[] = []
  const result = await withRetry(async () => {
    if (++calls < 3) throw pgError(calls === 1 ? '40001' : 'ECONNREFUSED')
    return 'done'
  }, { policy: fast, onRetry: (info) => retries.push(info.code) })
  t.equal(result, 'done')
  t.equal(calls, 3)
  t.same(retries, ['40001', 'ECONNREFUSED'])
})

t.test('a write whose outcome is unknown is never blindly repeated', async (t) => {
  let calls = 0
  await t.rejects(withRetry(async () => { calls++; throw pgError('57P01') }, { policy: fast }), { code: '57P01' })
  t.equal(calls, 1, 'without a way to check, the error is passed on')

  calls = 0
  let verified = 0
  const found = await withRetry(async () => { calls++; throw pgError('08006') }, {
    policy: fast,
    verify: async () => { verified++; return 'it did commit' }
  })
  t.equal(found, 'it did commit', 'the check found the first attempt')
  t.same([calls, verified], [1, 1], 'and nothing was written again')

  calls = 0
  verified = 0
  const again = await withRetry(async () => {
    if (++calls === 1) throw new Error('Connection terminated unexpectedly')
    return 'written once'
  }, { policy: fast, verify: async () => { verified++; return undefined } })
  t.equal(again, 'written once', 'the check found nothing, so it was written')
  t.same([calls, verified], [2, 1])
})

t.test('a check that fails is itself retried before anything is repeated', async (t) => {
  let calls = 0
  let checks = 0
  const result = await withRetry(async () => {
    calls++
    if (calls === 1) throw pgError('57P01')
    return 'second write'
  }, {
    policy: fast,
    verify: async () => {
      if (++checks === 1) throw pgError('ECONNREFUSED')
      return undefined
    }
  })
  t.equal(result, 'second write')
  t.same([calls, checks], [2, 2], 'the write ran again only after a check succeeded')
})

t.test('idempotent work is repeated after any transient error; other errors and exhausted budgets are thrown', async (t) => {
  let calls = 0
  t.equal(await withRetry(async () => { if (++calls === 1) throw pgError('57P01'); return 1 }, { policy: fast, idempotent: true }), 1)
  await t.rejects(withRetry(async () => { throw pgError('23505') }, { policy: fast, idempotent: true }), { code: '23505' })
  await t.rejects(withRetry(async () => { throw pgError('08007') }, { policy: fast, idempotent: true }), { code: '08007' }, '08007 is never repeated')
  calls = 0
  await t.rejects(withRetry(async () => { calls++; throw pgError('40001') }, { policy: { ...fast, attempts: 3 } }))
  t.equal(calls, 3, 'stops after its attempts')
  const started = Date.now()
  await t.rejects(withRetry(async () => { throw pgError('ECONNREFUSED') }, { policy: { attempts: 100, baseDelayMs: 50, maxDelayMs: 50, budgetMs: 200 } }))
  t.ok(Date.now() - started < 400, 'stops within its time budget')
  t.ok(QUICK.budgetMs <= 2000, 'a request\'s own retries stay well inside the time a 503 should take')
})

t.test('a pool timeout, or an error a retry below gave up on, is retried only by a policy that outlasts outages', async (t) => {
  let calls = 0
  const timeout = () => { calls++; throw new Error('timeout exceeded when trying to connect') }
  await t.rejects(withRetry(async () => timeout(), { policy: fast }))
  t.equal(calls, 1, 'a pool timeout: repeating it at once would only lengthen the queue')
  calls = 0
  await t.rejects(withRetry(async () => timeout(), { policy: { ...fast, attempts: 3, outlastsOutage: true } }))
  t.equal(calls, 3)

  const below = await withRetry(async () => { throw pgError('ECONNREFUSED') }, { policy: { ...fast, attempts: 2 } }).catch((e: unknown) => e)
  calls = 0
  await t.rejects(withRetry(async () => { calls++; throw below }, { policy: fast }))
  t.equal(calls, 1, 'stacked retries do not multiply')
  calls = 0
  t.equal(await withRetry(async () => { if (++calls < 3) throw below; return 'saved' }, { policy: { ...fast, outlastsOutage: true } }), 'saved')
})

t.test('only plain SELECTs count as reads (a CTE can hide a write)', async (t) => {
  const db = new Kysely<DB>({ dialect: new RetryingPostgresDialect({ pool: new pg.Pool() }) })
  t.ok(isReadOnly(db.selectFrom('sessions').selectAll().compile()))
  t.ok(isReadOnly(db.with('x', (q) => q.selectFrom('sessions').select('id')).selectFrom('x').selectAll().compile()))
  t.notOk(isReadOnly(db.with('x', (q) => q.insertInto('sessions').values({ id: 'a', session_key: 'b' }).returning('id')).selectFrom('x').selectAll().compile()))
  t.notOk(isReadOnly(db.updateTable('sessions').set({ email: null }).compile()))
  t.notOk(isReadOnly(sql`select 1`.compile(db)))
})

t.test('against Postgres: a deadlock and a serialization failure are retried to success by the dialect', async (t) => {
  const { url } = await testDatabase(t)
  const retries: string[] = []
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const db = new Kysely<DB>({ dialect: new RetryingPostgresDialect({ pool }, { policy: fast, onRetry: (info) => retries.push(info.code) }) })
  t.teardown(() => db.destroy())
  await sql`create table counters (id int primary key, n int not null)`.execute(db)
  await sql`insert into counters values (1, 0), (2, 0)`.execute(db)

  // Two transactions lock the rows in opposite orders: Postgres kills one with 40P01; withRetry runs it again.
  const lockBoth = (first: number, second: number) => withRetry(() => db.transaction().execute(async (trx) => {
    await sql`update counters set n = n + 1 where id = ${first}`.execute(trx)
    await sql`select pg_sleep(0.2)`.execute(trx)
    await sql`update counters set n = n + 1 where id = ${second}`.execute(trx)
  }), { policy: fast, onRetry: (info) => retries.push(info.code) })
  await Promise.all([lockBoth(1, 2), lockBoth(2, 1)])
  const rows = await sql<{ n: number }>`select n from counters order by id`.execute(db)
  t.same(rows.rows.map((r) => r.n), [2, 2], 'both transactions applied exactly once')
  t.ok(retries.includes('40P01'), 'a deadlock was seen and retried')

  // Serializable read-then-write from two transactions: one gets 40001 and is run again.
  retries.length = 0
  const bump = (id: number) => withRetry(() => db.transaction().setIsolationLevel('serializable').execute(async (trx) => {
    const { rows } = await sql<{ total: number }>`select sum(n)::int as total from counters`.execute(trx)
    await sql`select pg_sleep(0.1)`.execute(trx)
    await sql`insert into counters values (${id}, ${rows[0]!.total})`.execute(trx)
  }), { policy: fast, onRetry: (info) => retries.push(info.code) })
  await Promise.all([bump(101), bump(102)])
  const count = await sql<{ c: number }>`select count(*)::int as c from counters`.execute(db)
  t.equal(count.rows[0]!.c, 4, 'both inserts landed')
  t.ok(retries.includes('40001'), 'a serialization failure was seen and retried')
})
