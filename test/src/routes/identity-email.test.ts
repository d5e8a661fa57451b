// SPEC §10, proof by email: codes sent (SMTP to a real server on loopback, or only stored), confirmed once,
// limited per hour, voided after too many wrong tries; the outbox never holds a code, and no log line does.
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { visitor } from '../../helpers/chat-app.ts'
import { startSmtpCapture } from '../../helpers/smtp-capture.ts'

type Visitor = ReturnType<typeof visitor>

async function setup (t: { teardown: (fn: () => unknown) => void }, identity: Record<string, unknown> = {}) {
  const smtp = await startSmtpCapture(t)
  const built = await buildTestApp(t, { config: { mail: { transport: 'smtp', smtp_url: smtp.url, from: 'Salient <chat@example.com>' }, identity } })
  return { ...built, smtp }
}

const requestCode = (v: Visitor, email?: string) =>
  v.request({ method: 'POST', url: '/api/session/verify-email', payload: email === undefined ? {} : { email } })
const confirm = (v: Visitor, code: string) =>
  v.request({ method: 'POST', url: '/api/session/verify-email/confirm', payload: { code } })
const wrong = (code: string) => code === '000000' ? '000001' : '000000'

t.test('a code sent by SMTP links the session to the customer with that address, once', async (t) => {
  const { app, db, smtp, logs } = await setup(t)
  const v = visitor(app)
  await v.post('Hi, my email is Dana.Reyes@Example.com')
  const before = await v.session()
  t.match(before, { customer_id: null, identity: 'anonymous', verification: null }, 'only this session knows the address: no hint')

  const sent = await requestCode(v)
  t.equal(sent.statusCode, 202)
  t.same(sent.json(), { sent: true, email_hint: 'd***@example.com' })
  const code = await smtp.codeFor('dana.reyes@example.com')
  t.match(code, /^\d{6}$/)
  t.equal(smtp.received[0]!.from, 'chat@example.com')

  const outbox = await db.selectFrom('outbox').selectAll().execute()
  t.equal(outbox.length, 1)
  t.match(outbox[0], { recipient: 'dana.reyes@example.com', kind: 'verification', transport: 'smtp', status: 'sent' })
  t.notOk(outbox[0]!.body.includes(code), 'the outbox keeps the body with the code masked')
  t.match(outbox[0]!.body, /code is •{6}\./)
  const stored = await db.selectFrom('email_verifications').selectAll().executeTakeFirstOrThrow()
  t.notOk(JSON.stringify(stored).includes(code), 'the code is stored only hashed')

  const refused = await confirm(v, wrong(code))
  t.equal(refused.statusCode, 400)
  t.equal(refused.json().error.code, 'invalid_code')
  const ok = await confirm(v, code)
  t.equal(ok.statusCode, 200)
  const { customer_id: customerId } = ok.json()
  t.same(ok.json(), { customer_id: customerId, identity: 'verified' })
  t.match(await v.session(), { customer_id: customerId, identity: 'verified', verification: null, is_anonymous: false })
  const customer = await db.selectFrom('customers').selectAll().executeTakeFirstOrThrow()
  t.match(customer, { id: customerId, email: 'dana.reyes@example.com' })
  const links = await db.selectFrom('identity_links').selectAll().execute()
  t.match(links, [{ customer_id: customerId, method: 'email_code', undone_at: null }])

  const replay = await confirm(v, code)
  t.equal(replay.statusCode, 409, 'a replayed confirm after success is refused')
  t.equal(replay.json().error.code, 'code_already_used')
  t.equal((await db.selectFrom('identity_links').selectAll().execute()).length, 1, 'and changes nothing')

  // Another browser mentions the same address: it is offered to continue, and proves it with its own code.
  const other = visitor(app)
  await other.post('my email is dana.reyes@example.com')
  t.match(await other.session(), { identity: 'anonymous', verification: { email_hint: 'd***@example.com' } })
  t.equal((await requestCode(other)).statusCode, 202)
  t.equal((await confirm(other, await smtp.codeFor('dana.reyes@example.com', 2))).json().customer_id, customerId, 'the same customer')

  t.notOk(logs.some((line) => line.includes(code)), 'no log line carries a code')
  t.ok(logs.some((line) => line.includes('"identity.code_sent"')))
})

t.test('bad input is a 4xx in the error shape, and writes nothing', async (t) => {
  const { app, db } = await setup(t)
  const v = visitor(app)
  await v.session()
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['/api/session/verify-email', { email: 'not an email' }, 400, 'invalid_email'],
    ['/api/session/verify-email', { email: 'dana@localhost' }, 400, 'invalid_email'],
    ['/api/session/verify-email', { email: 'a@b.com, c@d.com' }, 400, 'invalid_email'],
    ['/api/session/verify-email', { email: 42 }, 400, 'invalid_request'],
    ['/api/session/verify-email', {}, 400, 'no_email'],
    ['/api/session/verify-email/confirm', { code: '12345' }, 400, 'invalid_request'],
    ['/api/session/verify-email/confirm', { code: '1234567' }, 400, 'invalid_request'],
    ['/api/session/verify-email/confirm', { code: '12a456' }, 400, 'invalid_request'],
    ['/api/session/verify-email/confirm', {}, 400, 'invalid_request'],
    ['/api/session/verify-email/confirm', { code: '123456' }, 400, 'no_pending_code']
  ]
  for (const [url, payload, status, code] of cases) {
    const res = await v.request({ method: 'POST', url, payload })
    t.equal(res.statusCode, status, `${url} ${JSON.stringify(payload)}`)
    t.equal(res.json().error.code, code)
  }
  const stranger = await app.inject({ method: 'POST', url: '/api/session/verify-email', payload: { email: 'a@example.com' } })
  t.equal(stranger.statusCode, 404, 'no session: nothing to send a code for')
  const crossSite = await v.request({ method: 'POST', url: '/api/session/verify-email', payload: { email: 'a@example.com' }, headers: { origin: 'https://evil.example' } })
  t.equal(crossSite.statusCode, 403)
  t.equal((await db.selectFrom('email_verifications').selectAll().execute()).length, 0)
  t.equal((await db.selectFrom('outbox').selectAll().execute()).length, 0)
})

t.test('a code belongs to the session it was sent to', async (t) => {
  const { app, smtp } = await setup(t)
  const [a, b] = [visitor(app), visitor(app)]
  await a.session()
  await b.session()
  await requestCode(a, 'a@example.com')
  const codeA = await smtp.codeFor('a@example.com')
  t.equal((await confirm(b, codeA)).json().error.code, 'no_pending_code', 'a session with no code cannot use another\'s')
  await requestCode(b, 'b@example.com')
  const codeB = await smtp.codeFor('b@example.com')
  if (codeA !== codeB) t.equal((await confirm(b, codeA)).json().error.code, 'invalid_code', 'nor confirm its own with another\'s')
  t.equal((await confirm(a, codeA)).statusCode, 200)
})

t.test('after max_attempts wrong codes the code is void, the right one included; a new code works', async (t) => {
  const { app, smtp } = await setup(t, { max_attempts: 3 })
  const v = visitor(app)
  await v.session()
  await requestCode(v, 'dana@example.com')
  const code = await smtp.codeFor('dana@example.com')
  for (let i = 0; i < 3; i++) t.equal((await confirm(v, wrong(code))).json().error.code, 'invalid_code')
  const voided = await confirm(v, code)
  t.equal(voided.statusCode, 429)
  t.equal(voided.json().error.code, 'too_many_attempts')
  t.equal((await requestCode(v, 'dana@example.com')).statusCode, 202)
  const fresh = await smtp.codeFor('dana@example.com', 2)
  t.equal((await confirm(v, fresh)).statusCode, 200)
})

t.test('an expired code is refused; a newer code replaces the older one', async (t) => {
  const { app, db, smtp } = await setup(t)
  const v = visitor(app)
  await v.session()
  await requestCode(v, 'dana@example.com')
  const first = await smtp.codeFor('dana@example.com')
  await requestCode(v, 'dana@example.com')
  const second = await smtp.codeFor('dana@example.com', 2)
  if (first !== second) t.equal((await confirm(v, first)).json().error.code, 'invalid_code', 'only the newest code counts')
  await db.updateTable('email_verifications').set({ expires_at: new Date(Date.now() - 1000) }).execute()
  const expired = await confirm(v, second)
  t.equal(expired.statusCode, 400)
  t.equal(expired.json().error.code, 'code_expired')
})

t.test('at most max_codes_per_hour codes per session and per address', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { identity: { max_codes_per_hour: 2 } } })
  const v = visitor(app)
  await v.session()
  t.equal((await requestCode(v, 'one@example.com')).statusCode, 202)
  t.equal((await requestCode(v, 'two@example.com')).statusCode, 202)
  const perSession = await requestCode(v, 'three@example.com')
  t.equal(perSession.statusCode, 429)
  t.equal(perSession.json().error.code, 'too_many_codes')
  t.match(perSession.json().error.message, /session/)

  // Concurrent requests for one address from fresh sessions: the limit still holds.
  const others = await Promise.all(Array.from({ length: 5 }, async () => { const o = visitor(app); await o.session(); return o }))
  const results = await Promise.all(others.map((o) => requestCode(o, 'shared@example.com')))
  t.same(results.map((r) => r.statusCode).sort(), [202, 202, 429, 429, 429])
  t.ok(results.filter((r) => r.statusCode === 429).every((r) => /address/.test(r.json().error.message)))
  t.equal((await db.selectFrom('email_verifications').where('email', '=', 'shared@example.com').selectAll().execute()).length, 2)
  const outbox = await db.selectFrom('outbox').selectAll().execute()
  t.ok(outbox.every((row) => row.status === 'stored' && row.transport === 'outbox' && /•{6}/.test(row.body)), 'the outbox transport only stores, masked')
})

t.test('concurrent confirms of one code: exactly one wins', async (t) => {
  const { app, db, smtp } = await setup(t)
  const v = visitor(app)
  await v.session()
  await requestCode(v, 'dana@example.com')
  const code = await smtp.codeFor('dana@example.com')
  const results = await Promise.all(Array.from({ length: 8 }, () => confirm(v, code)))
  const statuses = results.map((r) => r.statusCode).sort()
  t.same(statuses, [200, 409, 409, 409, 409, 409, 409, 409])
  t.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'code_already_used'))
  t.equal((await db.selectFrom('identity_links').selectAll().execute()).length, 1, 'one link')
  t.equal((await db.selectFrom('customers').selectAll().execute()).length, 1, 'one customer')
})

t.test('an SMTP failure is a 502, recorded in the outbox', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { mail: { transport: 'smtp', smtp_url: 'smtp://127.0.0.1:1' } } })
  const v = visitor(app)
  await v.session()
  const res = await requestCode(v, 'dana@example.com')
  t.equal(res.statusCode, 502)
  t.equal(res.json().error.code, 'mail_failed')
  t.match(await db.selectFrom('outbox').selectAll().execute(), [{ status: 'failed', error: /ECONNREFUSED|ESOCKET|ECONNECTION/ }])
})
