// SPEC §11: the visitor sees where each fact came from, its history, and edits or forgets it.
import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp } from '../../helpers/app.ts'
import { visitor } from '../../helpers/chat-app.ts'

async function humanMessages (db: Awaited<ReturnType<typeof buildTestApp>>['db'], sessionId: string) {
  return await db.selectFrom('messages').select(['id', 'content']).where('session_id', '=', sessionId).where('role', '=', 'human')
    .orderBy('created_at').orderBy('id').execute()
}

t.test('facts name their source message; a correction supersedes, a withdrawal empties, history keeps both', async (t) => {
  const { app, db } = await buildTestApp(t)
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  await v.post('Hi, my number is 503-555-0124 and I live in Salem, OR.')
  await v.post('scratch that, the number is 503-555-0142')
  await v.post('— no, ignore that address, I am moving.')
  const [first, second, third] = await humanMessages(db, sessionId)

  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(profile.phone, '+15035550142')
  t.equal(profile.address_city, null, 'the withdrawn city is empty')
  t.equal(profile.address_state, null)
  t.match(profile.facts.phone, { value: '+15035550142', source_message_id: second?.id, extractor: 'rules', confidence: Number })
  t.notOk('address_city' in profile.facts, 'no fact for an empty field')

  const withdrawal = await db.selectFrom('profile_updates').selectAll().where('field', '=', 'address_city').where('message_id', '=', third!.id).executeTakeFirstOrThrow()
  t.equal(withdrawal.old_value, 'Salem')
  t.equal(withdrawal.new_value, null, 'the withdrawal is a profile_updates row')

  const history = (await v.request({ url: '/api/session/profile/history?field=phone' })).json()
  t.equal(history.field, 'phone')
  t.same(history.values.map((h: { value: string }) => h.value), ['+15035550142', '+15035550124'], 'newest first')
  t.equal(history.values[0].valid_to, null, 'the current value is still valid')
  t.equal(history.values[1].valid_to, history.values[0].valid_from, 'the old value ended when the new one came')
  t.equal(history.values[1].source_message_id, first?.id)

  const city = (await v.request({ url: '/api/session/profile/history?field=address_city' })).json()
  t.equal(city.values.length, 1)
  t.ok(city.values[0].valid_to, 'the withdrawn value has an end')

  const bad = await v.request({ url: '/api/session/profile/history?field=password' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: { code: String, message: /field/ } })
  const none = await app.inject({ url: '/api/session/profile/history?field=phone' })
  t.same(none.json(), { field: 'phone', values: [] }, 'no session: no history, no session made')
  t.notOk(none.headers['set-cookie'])
})

t.test('PATCH sets fields as extraction would, extractor visitor; bad values are 400s naming the field', async (t) => {
  const { app, db } = await buildTestApp(t)
  const v = visitor(app)
  const other = visitor(app)
  const { session_id: sessionId } = await v.session()
  await other.session()
  await v.post('hello there')
  await other.post('a message of someone else')
  const [own] = await humanMessages(db, sessionId)
  const foreign = await db.selectFrom('messages').select('id').where('session_id', '!=', sessionId).where('role', '=', 'human').executeTakeFirstOrThrow()

  const patch = (body: unknown) => v.request({ method: 'PATCH', url: '/api/session/profile', payload: body as Record<string, unknown> })
  const ok = await patch({ phone: '(415) 555-0177', customer_name: 'Dana Reyes', address_state: 'oregon', products_of_interest: ['heat pump'], source_message_id: own?.id })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { phone: '+14155550177', customer_name: 'Dana Reyes', address_state: 'OR', products_of_interest: ['heat pump'] })
  t.match(ok.json().facts.phone, { extractor: 'visitor', source_message_id: own?.id, confidence: 1 })
  const rows = await db.selectFrom('profile_updates').select(['field', 'extractor']).where('session_id', '=', sessionId).execute()
  t.ok(rows.length >= 4 && rows.every((r) => r.extractor === 'visitor'))

  const cases: Array<[unknown, number, string, RegExp]> = [
    [{ email: 'not-an-email' }, 400, 'invalid_field', /^email /],
    [{ phone: '12' }, 400, 'invalid_field', /^phone /],
    [{ phone: 4155550177 }, 400, 'invalid_field', /^phone must be a string/],
    [{ address_zip: 'abcde' }, 400, 'invalid_field', /^address_zip /],
    [{ customer_name: 'Dana\u0000Reyes' }, 400, 'invalid_field', /cannot be stored/],
    [{ products_of_interest: 'heat pump' }, 400, 'invalid_field', /^products_of_interest /],
    [{ password: 'x' }, 400, 'unknown_field', /^password is not a profile field/],
    [{ phone: '415-555-0100', source_message_id: foreign.id }, 400, 'invalid_source_message', /source_message_id/],
    [{ source_message_id: own?.id }, 400, 'invalid_request', /field/],
    [{}, 400, 'invalid_request', /./]
  ]
  for (const [body, status, code, message] of cases) {
    const res = await patch(body)
    t.equal(res.statusCode, status, JSON.stringify(body))
    t.match(res.json(), { error: { code, message } }, JSON.stringify(body))
  }
  const after = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(after.phone, '+14155550177', 'a refused PATCH changes nothing')
  const anonymous = await app.inject({ method: 'PATCH', url: '/api/session/profile', payload: { phone: '415-555-0100' } })
  t.equal(anonymous.statusCode, 404, 'no session: nothing to edit, none made')
})

t.test('DELETE forgets a field: no trace of the value in profiles, profile_updates or the logs; later messages set it again', async (t) => {
  const { app, db, logs } = await buildTestApp(t)
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  await v.post('I am Dana Reyes, email dana.reyes@example.com, phone 503-555-0199')
  await v.post('sorry, my full name is Dana Maria Reyes')
  let session = (await v.request({ url: '/api/session' })).json()
  t.equal(session.email, 'dana.reyes@example.com')

  for (const field of ['customer_name', 'email']) {
    const res = await v.request({ method: 'DELETE', url: `/api/session/profile/${field}` })
    t.equal(res.statusCode, 204, field)
    t.equal(res.body, '')
  }
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.equal(profile.customer_name, null)
  t.equal(profile.email, null)
  t.equal(profile.phone, '+15035550199', 'other fields stay')
  t.notOk('customer_name' in profile.facts)
  session = (await v.request({ url: '/api/session' })).json()
  t.equal(session.email, null, 'the session is no longer named by the forgotten email')

  const tables = await sql<{ dump: string }>`select (select coalesce(json_agg(p), '[]')::text from profiles p) || (select coalesce(json_agg(u), '[]')::text from profile_updates u) as dump`.execute(db)
  const dump = tables.rows[0]?.dump ?? ''
  for (const value of ['Dana', 'Reyes', 'dana.reyes', 'example.com']) {
    t.notOk(dump.includes(value), `profiles and profile_updates hold no "${value}"`)
    t.notOk(logs.some((line) => line.includes(value)), `no log line holds "${value}"`)
  }
  const forgotten = await db.selectFrom('profile_updates').selectAll().where('session_id', '=', sessionId).where('field', '=', 'customer_name').execute()
  t.ok(forgotten.length >= 3, 'the rows stay')
  t.ok(forgotten.every((r) => r.forgotten_at !== null && r.old_value === null && r.new_value === null), 'each says the field was forgotten')
  t.equal((await v.request({ url: '/api/session/profile/history?field=customer_name' })).json().values.length, 0)

  await v.post('my name is Dana')
  t.equal((await v.request({ url: '/api/session/profile' })).json().customer_name, 'Dana', 'a later message sets it again')

  t.equal((await v.request({ method: 'DELETE', url: '/api/session/profile/password' })).statusCode, 400)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/session/profile/phone' })).statusCode, 204, 'no session: nothing to forget')
  t.equal((await v.request({ method: 'DELETE', url: '/api/session/profile/phone', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode, 403)
})

t.test('a verified visitor sees and edits the customer\'s profile; their email is their identity (409)', async (t) => {
  const { app, db } = await buildTestApp(t)
  const v = visitor(app)
  const { session_id: sessionId } = await v.session()
  await v.post('I am Dana Reyes, dana.reyes@example.com')
  // Linked as the identity routes of SPEC §10 would link it: the customer's profile is the one the session sees.
  const customerId = '01900000-0000-7000-8000-000000000001'
  await db.insertInto('customers').values({ id: customerId, email: 'dana.reyes@example.com' }).execute()
  await db.insertInto('profiles').values({ id: '01900000-0000-7000-8000-000000000002', customer_id: customerId, customer_name: 'Dana Reyes', email: 'dana.reyes@example.com' }).execute()
  await db.updateTable('sessions').set({ customer_id: customerId }).where('id', '=', sessionId).execute()

  for (const res of [
    await v.request({ method: 'PATCH', url: '/api/session/profile', payload: { email: 'other@example.com' } }),
    await v.request({ method: 'DELETE', url: '/api/session/profile/email' })
  ]) {
    t.equal(res.statusCode, 409)
    t.equal(res.json().error.code, 'email_is_identity')
  }
  const patched = await v.request({ method: 'PATCH', url: '/api/session/profile', payload: { phone: '503-555-0100' } })
  t.equal(patched.statusCode, 200)
  const customerProfile = await db.selectFrom('profiles').selectAll().where('customer_id', '=', customerId).executeTakeFirstOrThrow()
  t.equal(customerProfile.phone, '+15035550100', 'the edit went to the customer\'s profile')
  t.equal(patched.json().email, 'dana.reyes@example.com')

  t.equal((await v.request({ method: 'DELETE', url: '/api/session/profile/customer_name' })).statusCode, 204)
  const names = await db.selectFrom('profiles').select('customer_name').execute()
  t.ok(names.every((p) => p.customer_name === null), 'neither the customer\'s profile nor the session\'s own keeps the name')
})
