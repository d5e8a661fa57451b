// The turn service with a fake LlmClient and a real database: what a turn saves, in which order, and when.
import t from 'tap'
import pino from 'pino'
import { Value } from '@sinclair/typebox/value'
import { createTurnService, type LiveTurn, type ReplayedTurn } from '../../../../plugins/app/chat/turn-service.ts'
import { createLedger } from '../../../../plugins/app/ledger/ledger-service.ts'
import { createMessageRepository } from '../../../../db/repositories/messages.ts'
import { ConfigSchema, type Config } from '../../../../plugins/infrastructure/config/schema.ts'
import type { Session } from '../../../../db/types.ts'
import { uuidv7 } from '../../../../db/uuid7.ts'
import { openDb, testDatabase } from '../../../helpers/db.ts'
import { fakeLlmClient } from '../../../helpers/fake-llm-client.ts'

const log = pino({ level: 'silent' })

async function setup (t: Parameters<typeof openDb>[0]) {
  const db = openDb(t, (await testDatabase(t)).url)
  const config = Value.Default(ConfigSchema, { llm: { system_prompt: 'You sell bikes.', context_messages: 3 }, chat: { max_message_chars: 50 } }) as Config
  const llm = fakeLlmClient()
  const ledger = createLedger({ db, llm: llm.client, log, reconcileDelaysMs: [], onCall: () => {} })
  t.teardown(() => ledger.close())
  const chat = createTurnService({ config, llm: llm.client, messages: createMessageRepository(db), ledger })
  const id = uuidv7()
  const session: Session = await db.insertInto('sessions').values({ id, session_key: `key-${id}` }).returningAll().executeTakeFirstOrThrow()
  return { db, llm, chat, session }
}

function live (turn: LiveTurn | ReplayedTurn): LiveTurn {
  if (turn.kind !== 'live') throw new Error('expected a live turn')
  return turn
}

t.test('a turn saves the human message, tells the listeners before the LLM is asked, then saves the reply and its row', async (t) => {
  const { db, llm, chat, session } = await setup(t)
  const order: string[] = []
  chat.onHumanMessage(({ message }) => {
    order.push(`listener:${message.content}:${llm.asked.length}`)
    return undefined
  })
  const turn = live(await chat.start({ session, text: 'Hi', log }))
  const result = await turn.done
  t.same(order, ['listener:Hi:0'], 'the listener ran before the LLM was called')
  t.match(result, { status: 'complete', reply: { role: 'assistant', content: 'Hello there' }, model: 'fake/model', error: null })
  t.equal(result.reply?.metadata.reply_to, turn.human.id)
  t.equal(result.reply?.metadata.llm_request_id, result.llmRequestId)
  const row = await db.selectFrom('llm_requests').selectAll().where('id', '=', result.llmRequestId!).executeTakeFirstOrThrow()
  t.same(row.request_body.metadata, { purpose: 'chat', human_message_id: turn.human.id })
})

t.test('the context is the system prompt and the newest messages, human as user', async (t) => {
  const { llm, chat, session } = await setup(t)
  for (const text of ['one', 'two', 'three']) await live(await chat.start({ session, text, log })).done
  t.same(llm.asked[2], [
    { role: 'system', content: 'You sell bikes.' },
    { role: 'user', content: 'two' },
    { role: 'assistant', content: 'Hello there' },
    { role: 'user', content: 'three' }
  ], 'llm.context_messages (3) newest, oldest first')
})

t.test('an abort keeps what arrived as a partial reply; an error before any text saves only the row', async (t) => {
  const { db, llm, chat, session } = await setup(t)
  llm.script({ deltas: ['Half'], hold: true }, { deltas: [], error: { code: 'llm_upstream_error', message: 'down', status: 502, retryable: true } })
  const held = live(await chat.start({ session, text: 'long one', log }))
  for await (const delta of held.deltas) if (delta === 'Half') held.abort()
  const partial = await held.done
  t.match(partial, { status: 'partial', reply: { content: 'Half', metadata: { status: 'partial' } } })
  const failed = await live(await chat.start({ session, text: 'again', log })).done
  t.match(failed, { status: 'error', reply: null, error: { code: 'llm_upstream_error' } })
  t.ok(await db.selectFrom('llm_requests').select('id').where('id', '=', failed.llmRequestId!).executeTakeFirst(), 'the failed call has its row')
})

t.test('the same client_message_id after a complete reply replays it without asking the LLM again', async (t) => {
  const { llm, chat, session } = await setup(t)
  const first = await live(await chat.start({ session, text: 'Hi', clientMessageId: 'client-msg-1', log })).done
  const again = await chat.start({ session, text: 'Hi', clientMessageId: 'client-msg-1', log })
  t.equal(again.kind, 'replay')
  t.equal(again.kind === 'replay' ? again.result.reply?.id : null, first.reply?.id)
  t.equal(llm.asked.length, 1)
})

t.test('a listener that throws never fails the turn; bad messages are refused before anything is saved', async (t) => {
  const { db, chat, session } = await setup(t)
  chat.onHumanMessage(() => { throw new Error('listener broke') })
  t.equal((await live(await chat.start({ session, text: 'Hi', log })).done).status, 'complete')
  await t.rejects(chat.start({ session, text: '   ', log }), { code: 'EMPTY_MESSAGE', statusCode: 400 })
  await t.rejects(chat.start({ session, text: 'x'.repeat(51), log }), { code: 'MESSAGE_TOO_LONG', statusCode: 413 })
  t.equal((await db.selectFrom('messages').select('id').where('role', '=', 'human').execute()).length, 1)
})

t.test('drain cuts a turn still running once the grace is over and saves it as partial', async (t) => {
  const { llm, chat, session } = await setup(t)
  llm.script({ hold: true })
  const turn = live(await chat.start({ session, text: 'Hi', log }))
  t.equal(chat.liveTurns, 1)
  t.same(await chat.drain(20), { finished: 0, aborted: 1 })
  t.match(await turn.done, { status: 'partial', reply: { content: 'Hello there' } })
  t.equal(chat.liveTurns, 0)
})
