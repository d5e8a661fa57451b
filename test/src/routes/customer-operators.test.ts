// SPEC §10's operators and erasure: merge or dismiss a collision, undo a link (the customer's profile loses what only
// that session taught, keeps what another session also taught), and a verified visitor erasing the customer.
import t from 'tap'
import { SignJWT } from 'jose'
import { buildTestApp } from '../../helpers/app.ts'
import { visitor } from '../../helpers/chat-app.ts'

const SECRET = 'a-host-site-secret-of-at-least-32-chars'
const ADMIN_TOKEN = 'an-admin-token-for-the-operator-tests'
const config = { identity: { secret: SECRET }, admin: { token: ADMIN_TOKEN } }
type Visitor = ReturnType<typeof visitor>
type App = Awaited<ReturnType<typeof buildTestApp>>['app']

async function identify (v: Visitor, sub: string): Promise<string> {
  const token = await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))
  const res = await v.request({ method: 'POST', url: '/api/session/identify', payload: { token } })
  if (res.statusCode !== 200) throw new Error(`identify: ${res.statusCode} ${res.body}`)
  return res.json().customer_id
}

const admin = (app: App, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } })

t.test('undo: the session is anonymous again, sees only its own, gets its facts back; the customer keeps only what others taught', async (t) => {
  const { app, db } = await buildTestApp(t, { config })
  const [a, b] = [visitor(app), visitor(app)]
  await a.post('My name is Dana Reyes and I am interested in solar panels')
  const customerId = await identify(a, 'user-1')
  await b.post('Hello, I am interested in solar panels')
  await identify(b, 'user-1')
  await b.post('My phone number is (415) 555-0132')
  const linked = (await b.request({ url: '/api/session/profile' })).json()
  t.match(linked, { customer_name: 'Dana Reyes', phone: '+14155550132', products_of_interest: ['solar panels'] }, 'linked: the customer\'s profile')

  const list = (await admin(app, 'GET', '/api/admin/identity-links')).json()
  t.equal(list.links.length, 2)
  t.match(list.links[0], { session_id: (await b.session()).session_id, customer_id: customerId, method: 'host_token', undone_at: null, customer_external_id: 'user-1' })
  const linkB = list.links[0].id

  const undone = await admin(app, 'POST', `/api/admin/identity-links/${linkB}/undo`)
  t.equal(undone.statusCode, 200)
  t.match(undone.json(), { id: linkB, undone_at: String })

  const customer = (await a.request({ url: '/api/session/profile' })).json()
  t.equal(customer.phone, null, 'a value learned only in the undone session leaves the customer\'s profile')
  t.same(customer.products_of_interest, ['solar panels'], 'a value also learned elsewhere stays')
  t.equal(customer.customer_name, 'Dana Reyes')
  const own = (await b.request({ url: '/api/session/profile' })).json()
  t.match(own, { phone: '+14155550132', products_of_interest: ['solar panels'], customer_name: null }, 'the session\'s own facts are its own again')
  t.match(await b.session(), { customer_id: null, identity: 'anonymous' })
  const history = (await b.history()).messages.map((m: { content: string }) => m.content)
  t.notOk(history.some((c: string) => c.includes('Dana Reyes')), 'it no longer sees the customer\'s other messages')
  t.ok(history.includes('My phone number is (415) 555-0132'))

  const again = await admin(app, 'POST', `/api/admin/identity-links/${linkB}/undo`)
  t.equal(again.statusCode, 409, 'a second undo is refused')
  t.equal(again.json().error.code, 'already_resolved')
  t.equal((await db.selectFrom('identity_links').selectAll().execute()).length, 2, 'every link and undo is kept')
  const undoRows = await db.selectFrom('profile_updates').selectAll().where('extractor', '=', 'undo').execute()
  t.ok(undoRows.some((r) => r.field === 'phone'), 'each undo change is a provenance row')

  t.equal((await admin(app, 'POST', `/api/admin/identity-links/${crypto.randomUUID()}/undo`)).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/api/admin/identity-links/${linkB}/undo` })).statusCode, 404, 'not an operator: 404')
  t.equal((await admin(app, 'POST', '/api/admin/identity-links/not-a-uuid/undo')).statusCode, 400)
})

t.test('merge and dismiss a collision; the second of either is 409', async (t) => {
  const { app, db } = await buildTestApp(t, { config })
  const [a, b, c] = [visitor(app), visitor(app), visitor(app)]
  await a.post('my email is dana@example.com')
  await b.post('I am Dana, dana@example.com, interested in solar panels')
  await c.post('my email is dana@example.com too')
  t.match(await b.session(), { identity: 'anonymous', verification: { email_hint: 'd***@example.com' } }, 'another session mentioned it: the hint')
  const collisions = await db.selectFrom('email_collisions').selectAll().orderBy('detected_at').execute()
  t.equal(collisions.length, 3)
  const [idA, idB, idC] = [(await a.session()).session_id, (await b.session()).session_id, (await c.session()).session_id]
  const ab = collisions.find((r) => [r.session_id, r.other_session_id].sort().join() === [idA, idB].sort().join())!

  t.equal((await app.inject({ method: 'POST', url: `/api/admin/email-collisions/${ab.id}/merge` })).statusCode, 404, 'not an operator: 404')
  const crossSite = await admin(app, 'POST', `/api/admin/email-collisions/${ab.id}/merge`, { origin: 'https://evil.example' })
  t.equal(crossSite.statusCode, 403, 'an admin change from another origin is refused')
  const merged = await admin(app, 'POST', `/api/admin/email-collisions/${ab.id}/merge`)
  t.equal(merged.statusCode, 200)
  t.match(merged.json(), { id: ab.id, status: 'merged', customer_id: String, resolved_at: String })
  const customerId = merged.json().customer_id
  t.match(await db.selectFrom('customers').selectAll().execute(), [{ id: customerId, email: 'dana@example.com' }])
  t.match(await a.session(), { customer_id: customerId, identity: 'verified' })
  t.match(await b.session(), { customer_id: customerId })
  const links = await db.selectFrom('identity_links').selectAll().execute()
  t.same(links.map((l) => l.method), ['operator', 'operator'])
  t.ok((await a.history()).messages.some((m: { content: string }) => m.content.includes('interested in solar panels')), 'a sees b\'s messages')
  t.equal((await db.selectFrom('profile_updates').selectAll().where('extractor', '=', 'merge').execute()).length > 0, true, 'the merge wrote provenance')

  const twice = await admin(app, 'POST', `/api/admin/email-collisions/${ab.id}/merge`)
  t.equal(twice.statusCode, 409)
  t.equal((await admin(app, 'POST', `/api/admin/email-collisions/${ab.id}/dismiss`)).statusCode, 409, 'a merged collision cannot be dismissed')

  // c's collision with a: merging it joins c to a's customer.
  const ca = collisions.find((r) => r.id !== ab.id && [r.session_id, r.other_session_id].includes(idC))!
  const dismissed = await admin(app, 'POST', `/api/admin/email-collisions/${ca.id}/dismiss`)
  t.equal(dismissed.statusCode, 200)
  t.match(dismissed.json(), { status: 'dismissed', customer_id: null })
  t.equal((await admin(app, 'POST', `/api/admin/email-collisions/${ca.id}/dismiss`)).statusCode, 409)
  t.match(await c.session(), { customer_id: null }, 'dismissing links nothing')
  const third = collisions.find((r) => r.id !== ab.id && r.id !== ca.id)!
  t.equal((await admin(app, 'POST', `/api/admin/email-collisions/${third.id}/merge`)).json().customer_id, customerId, 'the customer either session already has')
  t.equal((await admin(app, 'POST', `/api/admin/email-collisions/${crypto.randomUUID()}/merge`)).statusCode, 404)
})

t.test('DELETE /api/customer erases the customer and every linked session; anonymous: 404', async (t) => {
  const { app, db } = await buildTestApp(t, { config })
  const [a, b, stranger] = [visitor(app), visitor(app), visitor(app)]
  await a.post('My name is Dana Reyes')
  await b.post('my phone is (415) 555-0132')
  await stranger.post('just looking')
  const customerId = await identify(a, 'user-1')
  await identify(b, 'user-1')
  const anonymous = await stranger.request({ method: 'DELETE', url: '/api/customer' })
  t.equal(anonymous.statusCode, 404, 'an anonymous session has no customer to erase')

  const erased = await a.request({ method: 'DELETE', url: '/api/customer' })
  t.equal(erased.statusCode, 204)
  t.match(String(erased.headers['set-cookie']), /salient_session=;/, 'the cookie is cleared')
  const sessions = await db.selectFrom('sessions').select('id').execute()
  t.same(sessions.map((s) => s.id), [(await stranger.session()).session_id], 'both linked sessions are gone, the stranger stays')
  t.equal((await db.selectFrom('customers').selectAll().where('id', '=', customerId).execute()).length, 0)
  for (const table of ['identity_links', 'profiles', 'profile_updates', 'llm_requests'] as const) {
    const rows = await db.selectFrom(table).select('id').execute()
    t.ok(rows.length <= 2, `${table}: only the stranger's rows are left`)
  }
  t.equal((await db.selectFrom('messages').selectAll().execute()).every((m) => m.session_id === sessions[0]!.id), true)
  t.equal((await db.selectFrom('identity_links').selectAll().execute()).length, 0)
})
