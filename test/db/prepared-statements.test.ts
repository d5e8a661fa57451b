import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp } from '../helpers/app.ts'
import { CUSTOM_PLAN } from '../../db/prepared-statements.ts'

t.test('parameterised statements run as named prepared statements, parsed once per connection', async (t) => {
  const { app } = await buildTestApp(t)
  const statements = await app.db.connection().execute(async (db) => {
    for (let i = 0; i < 3; i++) await db.selectFrom('sessions').select('id').where('session_key', '=', `no-such-key-${i}`).execute()
    await sql`select 1`.execute(db)
    return await sql<{ name: string, statement: string }>`select name, statement from pg_prepared_statements`.execute(db)
  })
  const sessionLookups = statements.rows.filter((s) => s.statement.includes('from "sessions" where "session_key" = $1'))
  t.equal(sessionLookups.length, 1, 'one prepared statement for three executions of the same shape')
  t.match(sessionLookups[0]?.name, /^s\d+$/)
  t.notOk(statements.rows.some((s) => s.statement === 'select 1'), 'a statement without parameters stays unnamed')
})

t.test('a prepared statement behaves like the unnamed one: results, errors, and the connection after an error', async (t) => {
  const { app } = await buildTestApp(t)
  await app.db.connection().execute(async (db) => {
    const select = (n: number) => sql<{ n: number }>`select ${n}::int + 1 as n`.execute(db)
    t.same((await select(1)).rows, [{ n: 2 }])
    t.same((await select(41)).rows, [{ n: 42 }], 'the same statement with other values')
    await t.rejects(sql`select ${'not a number'}::int`.execute(db), { code: '22P02' })
    await t.rejects(sql`select ${'still not'}::int`.execute(db), { code: '22P02' }, 'a statement that failed once runs again')
    t.same((await select(2)).rows, [{ n: 3 }], 'the connection still works')
  })
})

t.test('database.prepared_statements: false (behind PgBouncer in transaction mode): no statement is named', async (t) => {
  const { app } = await buildTestApp(t, { config: { database: { prepared_statements: false } } })
  const statements = await app.db.connection().execute(async (db) => {
    for (let i = 0; i < 3; i++) await db.selectFrom('sessions').select('id').where('session_key', '=', `no-such-key-${i}`).execute()
    return await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db)
  })
  t.same(statements.rows, [], 'nothing prepared on the connection')
  t.equal((await app.inject({ url: '/api/session' })).statusCode, 200, 'and the app works')
})

t.test('a statement marked CUSTOM_PLAN runs unnamed, planned for its values each time', async (t) => {
  const { app } = await buildTestApp(t)
  const statements = await app.db.connection().execute(async (db) => {
    for (let i = 0; i < 7; i++) {
      const { rows } = await sql<{ n: number }>`${sql.raw(CUSTOM_PLAN)} select ${i}::int as n`.execute(db)
      t.equal(rows[0]?.n, i)
    }
    return await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)
  })
  t.notOk(statements.rows.some((s) => s.statement.startsWith(CUSTOM_PLAN)), 'never prepared')
})
