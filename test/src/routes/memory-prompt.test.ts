// SPEC §11: every chat call carries what is known about the customer, right after the system prompt; the
// llm_requests row records that message by its field names, length and hash, never its values.
import t from 'tap'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'

interface SentBody { messages: Array<{ role: string, content: string }> }

const catalogue = { profile: { products: ['solar panels', 'heat pump'], services: ['installation'] } }

function lastSent (fake: Awaited<ReturnType<typeof buildChatApp>>['fake']): SentBody['messages'] {
  const body = fake.completions().at(-1)?.body as SentBody
  return body.messages
}

t.test('the memory message follows the system prompt, lists memory.fields, and the row keeps no values', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()

  await v.post('Hello')
  t.same(lastSent(fake).map((m) => m.role), ['system', 'user'], 'nothing known yet: no memory message')

  await v.post("I'm Dana Reyes, dana.reyes@example.com, 503-555-0199. We live in Salem, OR and want solar panels.")
  const sent = lastSent(fake)
  t.equal(sent[0]?.content, app.config.llm.system_prompt)
  t.equal(sent[1]?.role, 'system')
  t.equal(sent[1]?.content, 'Known about this customer:\ncustomer_name: Dana Reyes\nproducts_of_interest: solar panels\naddress_city: Salem\naddress_state: OR',
    'this very message\'s facts are already known; email and phone are not in memory.fields')

  const rows = await db.selectFrom('llm_requests').select('request_body').where('session_id', '=', sessionId).orderBy('created_at').execute()
  const recorded = rows.at(-1)?.request_body as { messages: Array<Record<string, unknown>> }
  t.match(recorded.messages[1], {
    role: 'system',
    kind: 'memory',
    fields: ['customer_name', 'products_of_interest', 'address_city', 'address_state'],
    chars: sent[1]?.content.length,
    sha256: /^[0-9a-f]{16}$/
  })
  const dump = JSON.stringify(rows.map((r) => r.request_body))
  for (const value of ['Dana', 'Salem', 'solar panels']) t.notOk(dump.includes(value), `request_body holds no "${value}"`)

  // Forgotten: the next call no longer carries it.
  t.equal((await v.request({ method: 'DELETE', url: '/api/session/profile/customer_name' })).statusCode, 204)
  await v.post('What would it cost?')
  t.notMatch(lastSent(fake)[1]?.content ?? '', /Dana/)
  t.match(lastSent(fake)[1]?.content ?? '', /^Known about this customer:\nproducts_of_interest: solar panels/)
})

t.test('memory.enabled: false sends no memory message; memory.fields chooses what is sent', async (t) => {
  const off = await buildChatApp(t, { config: { ...catalogue, memory: { enabled: false } } })
  const a = visitor(off.app)
  await a.post('My name is Dana Reyes')
  await a.post('and again')
  t.same(lastSent(off.fake).map((m) => m.role), ['system', 'user', 'assistant', 'user'])

  const narrow = await buildChatApp(t, { config: { ...catalogue, memory: { fields: ['email'] } } })
  const b = visitor(narrow.app)
  await b.post('My name is Dana Reyes, email dana.reyes@example.com')
  t.equal(lastSent(narrow.fake)[1]?.content, 'Known about this customer:\nemail: dana.reyes@example.com')
})

t.test('a verified visitor\'s memory is the customer\'s profile', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  const customerId = '01900000-0000-7000-8000-0000000000c1'
  await db.insertInto('customers').values({ id: customerId, email: 'dana.reyes@example.com' }).execute()
  await db.insertInto('profiles').values({ id: '01900000-0000-7000-8000-0000000000c2', customer_id: customerId, customer_name: 'Dana Reyes', products_of_interest: ['heat pump'] }).execute()
  await db.updateTable('sessions').set({ customer_id: customerId }).where('id', '=', sessionId).execute()
  await v.post('Any news on my quote?')
  t.equal(lastSent(fake)[1]?.content, 'Known about this customer:\ncustomer_name: Dana Reyes\nproducts_of_interest: heat pump')
})

t.test('the offline model names what it remembers', async (t) => {
  const { app } = await buildChatApp(t, { config: { ...catalogue, llm: { provider: 'offline', api_key: null } } })
  const v = visitor(app)
  const res = await v.post('Hi, my name is Dana Reyes')
  t.match(res.json().reply, /I have noted your name: Dana Reyes\./)
})
