import t from 'tap'
import { buildChatApp, visitor } from '../../helpers/chat-app.ts'
import { eventually } from '../../helpers/eventually.ts'
import { emptyProfile } from '../../../plugins/app/profile/merge.ts'
import { DANA_CONTACT, DANA_MESSAGE } from '../../fixtures/dana.ts'

const catalogue = { profile: { products: ['solar panels', 'battery storage', 'heat pump'], services: ['installation', 'maintenance', 'energy audit'] } }
const ADMIN = 'admin-token-0123456789abcdef'

t.test('the Dana Reyes message fills the profile, links the email, and leaves one provenance row per field', async (t) => {
  const { app, db } = await buildChatApp(t, { config: { ...catalogue, admin: { token: ADMIN } } })
  const dana = visitor(app)
  const { session_id: sessionId } = await dana.session()
  const res = await dana.post(DANA_MESSAGE)
  t.equal(res.statusCode, 200)

  const profile = (await dana.request({ url: '/api/session/profile' })).json()
  t.match(profile, {
    ...DANA_CONTACT,
    products_of_interest: ['solar panels'],
    services_of_interest: ['installation'],
    preferences: { contact_channel: 'email' }
  })
  const session = (await dana.request({ url: '/api/session' })).json()
  t.equal(session.is_anonymous, false)
  t.equal(session.email, 'dana.reyes@example.com')

  const human = await db.selectFrom('messages').select('id').where('role', '=', 'human').executeTakeFirstOrThrow()
  const updates = await db.selectFrom('profile_updates').selectAll().where('session_id', '=', sessionId).execute()
  const fields = updates.map((u) => u.field).sort()
  t.same(fields, ['address_city', 'address_state', 'address_street', 'address_zip', 'customer_name', 'email', 'phone', 'preferences', 'products_of_interest', 'services_of_interest'])
  t.ok(updates.every((u) => u.message_id === human.id && u.extractor === 'rules' && Number(u.confidence) >= 0.6), 'each points at the message')
  t.ok(updates.every((u) => u.old_value === null || Array.isArray(u.old_value) || typeof u.old_value === 'object'))

  // The same email from a second browser: exactly one collision, however often it is mentioned.
  const other = visitor(app)
  const { session_id: otherId } = await other.session()
  await other.post('my email is dana.reyes@example.com')
  await other.post('again, it is Dana.Reyes@example.com')
  await dana.post('to repeat: dana.reyes@example.com')
  const collisions = await db.selectFrom('email_collisions').selectAll().execute()
  t.equal(collisions.length, 1)
  t.match(collisions[0], { email: 'dana.reyes@example.com', session_id: otherId, other_session_id: sessionId, status: 'open' })
  const danaProfile = (await dana.request({ url: '/api/session/profile' })).json()
  t.equal(danaProfile.customer_name, 'Dana Reyes', 'nothing was merged')
  const otherProfile = (await other.request({ url: '/api/session/profile' })).json()
  t.equal(otherProfile.customer_name, null)

  const list = await app.inject({ url: '/api/admin/email-collisions', headers: { authorization: `Bearer ${ADMIN}` } })
  t.equal(list.statusCode, 200)
  t.match(list.json().collisions[0], {
    email: 'dana.reyes@example.com',
    session_id: otherId,
    other_session_id: sessionId,
    session_message_count: 4,
    other_session_message_count: 4,
    session_created_at: String,
    other_session_created_at: String
  })
  t.equal((await app.inject({ url: '/api/admin/email-collisions' })).statusCode, 404, 'no token: 404')
  t.equal((await dana.request({ url: '/api/admin/email-collisions' })).statusCode, 404, 'a visitor cookie is not admin')
})

t.test('profile updates are logged with fields named and values masked', async (t) => {
  const { app, logs } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  await v.post(DANA_MESSAGE)
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.event === 'profile.updated')
  t.ok(line)
  t.ok(line.fields.includes('email'))
  const text = logs.join('\n')
  for (const pii of ['dana.reyes@example.com', '4155550134', '12 Oak Street', 'Dana Reyes']) t.notOk(text.includes(pii), `${pii} is not in the logs`)
})

t.test('a later, different value replaces a field; arrays grow as a union', async (t) => {
  const { app } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  await v.post('My name is Dana Reyes and I want solar panels.')
  await v.post('Actually my name is Dana Smith. Also interested in Battery Storage and SOLAR PANELS.')
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(profile.customer_name, 'Dana Smith')
  t.same(profile.products_of_interest, ['solar panels', 'battery storage'])
})

t.test('a turn\'s extraction sees the visitor\'s message before it: "please don\'t use that" withdraws its number', async (t) => {
  const { app } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  await v.post('Here\'s my number: 563-555-0118.')
  t.equal((await v.request({ url: '/api/session/profile' })).json().phone, '+15635550118')
  await v.post('Actually please don\'t use that, I\'d prefer email once I\'m ready.')
  t.equal((await v.request({ url: '/api/session/profile' })).json().phone, null)
  await v.post('First name Leontine')
  await v.post('Last name Harrowgate')
  t.equal((await v.request({ url: '/api/session/profile' })).json().customer_name, 'Leontine Harrowgate')
})

t.test('facts about other people never land in the customer\'s own fields', async (t) => {
  const { app } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  await v.post('My colleague\'s email is bob@example.com, please cc him.')
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(profile.email, null)
  const session = (await v.request({ url: '/api/session' })).json()
  t.equal(session.is_anonymous, true)
})

t.test('concurrent updates to one profile never lose a field', async (t) => {
  const { app } = await buildChatApp(t, { config: catalogue })
  const v = visitor(app)
  await v.session()
  const session = (await app.inject({ url: '/api/session', headers: { cookie: v.cookie! } })).json()
  const row = { id: session.session_id } as never
  const log = app.log
  const products = Array.from({ length: 20 }, (_, i) => `product ${i}`)
  await Promise.all(products.map((p, i) => app.profile.apply(row, null, [
    { field: 'products_of_interest', value: [p], confidence: 0.9 },
    ...(i === 7 ? [{ field: 'customer_name' as const, value: 'Dana Reyes', confidence: 0.9 }] : []),
    ...(i === 13 ? [{ field: 'address_zip' as const, value: '62704', confidence: 0.9 }] : [])
  ], 'test', log)))
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.same([...profile.products_of_interest].sort(), [...products].sort())
  t.equal(profile.customer_name, 'Dana Reyes')
  t.equal(profile.address_zip, '62704')
})

t.test('a failing extractor never fails the chat turn', async (t) => {
  const { app, logs } = await buildChatApp(t)
  app.chat.onHumanMessage(() => { throw new Error('extractor exploded') })
  const v = visitor(app)
  const res = await v.post('hello')
  t.equal(res.statusCode, 200)
  t.ok(logs.some((l) => l.includes('chat.listener_failed')))
})

t.test('GET /api/session/profile without a session is an empty profile and creates nothing', async (t) => {
  const { app } = await buildChatApp(t)
  const res = await app.inject({ url: '/api/session/profile' })
  t.same(res.json(), { ...emptyProfile(), updated_at: null, facts: {} })
  t.notOk(res.headers['set-cookie'])
})

t.test('the LLM extractor: structured JSON validated, its call recorded as a profile_extraction row', async (t) => {
  // The fake echoes the visitor's message, so a message holding JSON makes the "model" answer with that JSON.
  const { app, db } = await buildChatApp(t, { config: { profile: { extractor: 'llm' } } })
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  await v.post('Details: {"customer_name": "Jo Park", "email": "jo@example.org", "colleague": "ignored"}')
  const updates = await eventually(async () => {
    const rows = await db.selectFrom('profile_updates').selectAll().where('session_id', '=', sessionId).execute()
    return rows.length >= 2 ? rows : null
  })
  t.ok(updates.every((u) => u.extractor === 'llm'))
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(profile.customer_name, 'Jo Park')
  t.equal(profile.email, 'jo@example.org')
  const rows = await db.selectFrom('llm_requests').selectAll().execute()
  t.equal(rows.length, 2, 'one chat call, one extraction call')
  const purposes = rows.map((r) => (r.request_body.metadata as { purpose: string }).purpose).sort()
  t.same(purposes, ['chat', 'profile_extraction'])
})

t.test('the LLM extractor sees the visitor\'s previous message as context, and extracts from the last one', async (t) => {
  const { app, db, fake } = await buildChatApp(t, { config: { profile: { extractor: 'llm' } } })
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  const settled = async (count: number) => await eventually(async () => {
    const rows = await db.selectFrom('llm_requests').select('id').where('session_id', '=', sessionId).execute()
    return rows.length >= count ? rows : null
  })
  await v.post('{"phone": "503 555 0124"}')
  await settled(2)
  await v.post('{"withdrawn": ["phone"]}')
  await settled(4)
  const extraction = fake.completions()
    .map((r) => r.body as { messages: Array<{ role: string, content: string }>, response_format?: unknown })
    .filter((b) => b.response_format !== undefined)
    .pop()
  t.same(extraction?.messages.filter((m) => m.role === 'user').map((m) => m.content), ['{"phone": "503 555 0124"}', '{"withdrawn": ["phone"]}'], 'the previous message first, then the one to read')
  const profile = await eventually(async () => {
    const p = (await v.request({ url: '/api/session/profile' })).json()
    return p.phone === null ? p : null
  })
  t.equal(profile.phone, null)
})

t.test('the LLM extractor: a correction replaces, a withdrawal empties, a bad phone is dropped', async (t) => {
  // What a model returns for "I'm Jo Park, 503 555 0124, Salem OR", then "scratch that, the number is 503-555-0142 —
  // and ignore that address", then a number it misread.
  const { app, db } = await buildChatApp(t, { config: { profile: { extractor: 'llm' } } })
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  const settled = async (count: number) => await eventually(async () => {
    const rows = await db.selectFrom('llm_requests').select('id').where('session_id', '=', sessionId).execute()
    return rows.length >= count ? rows : null
  })
  await v.post('{"customer_name": "Jo Park", "phone": "503 555 0124", "address_city": "Salem", "address_state": "OR"}')
  await settled(2)
  await eventually(async () => (await v.request({ url: '/api/session/profile' })).json().address_city === 'Salem' || null)
  await v.post('{"phone": "503-555-0142", "withdrawn": ["address_city", "address_state", "not_a_field"]}')
  await settled(4)
  const profile = await eventually(async () => {
    const p = (await v.request({ url: '/api/session/profile' })).json()
    return p.address_city === null ? p : null
  })
  t.equal(profile.phone, '+15035550142', 'the corrected number, normalised')
  t.equal(profile.address_state, null, 'withdrawn')
  t.equal(profile.customer_name, 'Jo Park')
  const withdrawal = await db.selectFrom('profile_updates').selectAll().where('field', '=', 'address_city').where('new_value', 'is', null).execute()
  t.equal(withdrawal.length, 1, 'the withdrawal is a profile_updates row')
  t.equal(withdrawal[0]?.extractor, 'llm')

  await v.post('{"phone": "12"}')
  await settled(6)
  t.equal((await v.request({ url: '/api/session/profile' })).json().phone, '+15035550142', 'an unusable phone is not stored')
})
