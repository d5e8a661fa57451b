// The message repository's turn statement: the human message saved and the LLM's context read in one statement.
import t from 'tap'
import type { Kysely } from 'kysely'
import { createMessageRepository } from '../../../db/repositories/messages.ts'
import type { DB } from '../../../db/types.ts'
import { uuidv7 } from '../../../db/uuid7.ts'
import { openDb, testDatabase } from '../../helpers/db.ts'
import { buildTestApp } from '../../helpers/app.ts'

async function newSession (db: Kysely<DB>): Promise<string> {
  const id = uuidv7()
  await db.insertInto('sessions').values({ id, session_key: `key-${id}` }).execute()
  return id
}

t.test('insertHuman returns the newest contextLimit messages, this one last, from this session only', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const messages = createMessageRepository(db)
  const [mine, other] = [await newSession(db), await newSession(db)]
  for (const text of ['one', 'two', 'three']) {
    await messages.insertHuman(mine, text)
    await messages.insertHuman(other, `other ${text}`)
  }
  const { message, created, context } = await messages.insertHuman(mine, 'four', { contextLimit: 3 })
  t.ok(created)
  t.same(context.map((m) => m.content), ['two', 'three', 'four'], 'oldest first, the new message last')
  t.equal(context.at(-1)!.id, message.id)
  t.match(message, { session_id: mine, role: 'human', content: 'four', metadata: {} }, 'the saved message comes back whole')
  t.ok(message.created_at instanceof Date)
  t.same(Object.keys(context[0]!).sort(), ['content', 'id', 'role'], 'only what the context needs')

  const wide = await messages.insertHuman(mine, 'five', { contextLimit: 50 })
  t.same(wide.context.map((m) => m.content), ['one', 'two', 'three', 'four', 'five'], 'a limit past the history gives all of it')
  t.same((await messages.insertHuman(mine, 'six')).context, [], 'no limit, no context')
  t.same((await messages.recent(mine, 2)).map((m) => m.content), ['five', 'six'], 'recent reads the same order')
})

t.test('a repeated client_message_id finds the first save, stores nothing and reads no context', async (t) => {
  const db = openDb(t, (await testDatabase(t)).url)
  const messages = createMessageRepository(db)
  const session = await newSession(db)
  const first = await messages.insertHuman(session, 'hello', { clientMessageId: 'c-1', contextLimit: 10 })
  const again = await messages.insertHuman(session, 'hello', { clientMessageId: 'c-1', contextLimit: 10 })
  t.ok(first.created)
  t.notOk(again.created)
  t.equal(again.message.id, first.message.id)
  t.same(again.context, [])
  t.equal(await messages.count(session), 1)
})

t.test('as the app runs it (a named prepared statement), past the switch to a generic plan, it keeps working', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await newSession(app.db)
  await app.db.connection().execute(async (connection) => {
    const onOneConnection = createMessageRepository(connection)
    // Postgres may use a generic plan from the sixth execution on: the ON CONFLICT target must still match.
    for (let i = 0; i < 8; i++) await onOneConnection.insertHuman(session, `m${i}`, { clientMessageId: `c-${i % 4}`, contextLimit: 3 })
  })
  t.equal(await createMessageRepository(app.db).count(session), 4, 'the four distinct client ids, each stored once')
})
