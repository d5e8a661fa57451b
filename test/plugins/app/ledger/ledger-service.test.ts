// The ledger, the one writer of llm_requests, over a real database: rows, the turn statement, reconciliation, usage.
import t from 'tap'
import pino from 'pino'
import type { Kysely } from 'kysely'
import { createLedger } from '../../../../plugins/app/ledger/ledger-service.ts'
import type { DB } from '../../../../db/types.ts'
import { uuidv7 } from '../../../../db/uuid7.ts'
import { openDb, testDatabase } from '../../../helpers/db.ts'
import { eventually } from '../../../helpers/eventually.ts'
import { fakeLlmClient } from '../../../helpers/fake-llm-client.ts'

const log = pino({ level: 'silent' })

async function setup (t: Parameters<typeof openDb>[0], reconciled: Parameters<typeof fakeLlmClient>[0] = {}) {
  const db = openDb(t, (await testDatabase(t)).url)
  const llm = fakeLlmClient(reconciled)
  const ledger = createLedger({ db, llm: llm.client, log, reconcileDelaysMs: [], onCall: () => {} })
  t.teardown(() => ledger.close())
  return { db, llm, ledger }
}

async function newSession (db: Kysely<DB>): Promise<string> {
  const id = uuidv7()
  await db.insertInto('sessions').values({ id, session_key: `key-${id}`, last_activity_at: new Date('2020-01-01T00:00:00Z') }).execute()
  return id
}

const ask = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'my private words' }]

t.test('record writes one row: its purpose, which messages were sent (lengths, never text), tokens and cost', async (t) => {
  const { db, llm, ledger } = await setup(t)
  const sessionId = await newSession(db)
  const outcome = await llm.client.stream({ messages: ask }).outcome
  const humanMessageId = uuidv7()
  const id = await ledger.record(outcome, { sessionId, sent: ask, purpose: 'profile_extraction', humanMessageId })
  const row = await ledger.findById(id)
  t.match(row, { session_id: sessionId, provider: 'openrouter', model: 'fake/model', prompt_tokens: 20, computed_cost: '0.001' })
  t.same(row?.request_body.metadata, { purpose: 'profile_extraction', human_message_id: humanMessageId })
  t.same((row?.request_body.messages as Array<{ chars: number }>).map((m) => m.chars), [9, 16])
  t.notMatch(JSON.stringify(row), 'my private words', 'no message text in the row')
  t.equal((await ledger.findForHumanMessage(sessionId, humanMessageId))?.id, id)
  t.equal(llm.reconciles.length, 0, 'reported usage needs no reconciliation')
})

t.test('recordTurn writes the row, the assistant message linked to it and the session activity together', async (t) => {
  const { db, llm, ledger } = await setup(t)
  const sessionId = await newSession(db)
  const outcome = await llm.client.stream({ messages: ask }).outcome
  const context = { sessionId, sent: ask, purpose: 'chat' as const, humanMessageId: uuidv7() }
  const { requestId, message } = await ledger.recordTurn(outcome, context, { content: 'Hello there', metadata: { status: 'complete' } }, log)
  t.match(message, { session_id: sessionId, role: 'assistant', content: 'Hello there', metadata: { status: 'complete', llm_request_id: requestId } })
  t.ok(await ledger.findById(requestId))
  const session = await db.selectFrom('sessions').select('last_activity_at').where('id', '=', sessionId).executeTakeFirstOrThrow()
  t.ok(session.last_activity_at > new Date('2020-01-02T00:00:00Z'), 'the session was touched')
  const failed = await ledger.recordTurn(outcome, context, null, log)
  t.equal(failed.message, null, 'no reply: only the row')
  t.ok(await ledger.findById(failed.requestId))
  t.equal(Number((await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 1)
})

t.test('a row with estimated usage is corrected from the generation record', async (t) => {
  const reconciled = { promptTokens: 100, completionTokens: 40, totalTokens: 140, cost: '0.0042', finishReason: 'stop', cancelled: true, providerName: 'Fake' }
  const { db, llm, ledger } = await setup(t, { reconciled })
  const sessionId = await newSession(db)
  llm.script({ estimated: true })
  const outcome = await llm.client.stream({ messages: ask }).outcome
  const id = await ledger.record(outcome, { sessionId, sent: ask, purpose: 'chat' })
  t.same(llm.reconciles, [outcome.generationId])
  const row = await eventually(async () => {
    const found = await ledger.findById(id)
    return found?.response_body.cost_source === 'reconciled' ? found : null
  })
  t.match(row, { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, computed_cost: '0.0042' })
  t.match(row.response_body, { usage_estimated: false, estimated_usage: outcome.usage, reconciled: { cancelled: true, provider_name: 'Fake' } })
  t.equal(ledger.pendingReconciliations, 0)
})

t.test('a generation record that never shows up leaves the estimate as it was', async (t) => {
  const { db, llm, ledger } = await setup(t, { reconciled: null })
  const sessionId = await newSession(db)
  llm.script({ estimated: true })
  const outcome = await llm.client.stream({ messages: ask }).outcome
  const id = await ledger.record(outcome, { sessionId, sent: ask, purpose: 'chat' })
  await eventually(async () => ledger.pendingReconciliations === 0)
  t.match(await ledger.findById(id), { computed_cost: '0.001', response_body: { cost_source: 'estimated', usage_estimated: true } })
})

t.test('report sums tokens and cost per session and per model; exportRows is every row of the session', async (t) => {
  const { db, llm, ledger } = await setup(t)
  const [mine, other] = [await newSession(db), await newSession(db)]
  for (const sessionId of [mine, mine, other]) {
    const outcome = await llm.client.stream({ messages: ask }).outcome
    await ledger.record(outcome, { sessionId, sent: ask, purpose: 'chat' })
  }
  const report = await ledger.report(mine)
  t.match(report, { session_id: mine, requests: 2, prompt_tokens: 40, completion_tokens: 22, total_tokens: 62, cost: '0.002' })
  t.same(report.by_model.map((m) => [m.model, m.requests, m.cost]), [['fake/model', 2, '0.002']])
  t.ok(report.first_request_at instanceof Date)
  t.equal((await ledger.exportRows(mine)).length, 2)
  t.match(await ledger.report(uuidv7()), { requests: 0, cost: '0', first_request_at: null, by_model: [] })
})
