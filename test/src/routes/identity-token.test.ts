// SPEC §10, proof from the host site: a JWT signed HS256 with identity.secret, checked by jose with the algorithm
// pinned; anything else is 401 and changes nothing.
import t from 'tap'
import { createHmac } from 'node:crypto'
import { SignJWT } from 'jose'
import { buildTestApp } from '../../helpers/app.ts'
import { visitor } from '../../helpers/chat-app.ts'

const SECRET = 'a-host-site-secret-of-at-least-32-chars'
const key = (secret = SECRET) => new TextEncoder().encode(secret)
const now = () => Math.floor(Date.now() / 1000)

async function token (claims: Record<string, unknown>, options: { secret?: string, alg?: string, exp?: number | null } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt()
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now() + 300)
  return await jwt.sign(key(options.secret))
}

/** A token with `alg: none` (jose will not make one: it is written by hand, as an attacker would). */
function unsigned (claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`
}

/** A HS256 header over a body signed with the right secret but a different algorithm's MAC. */
function hs512Labelled (claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${part({ alg: 'HS512', typ: 'JWT' })}.${part(claims)}`
  return `${input}.${createHmac('sha512', SECRET).update(input).digest('base64url')}`
}

const identify = (v: ReturnType<typeof visitor>, jwt: string) =>
  v.request({ method: 'POST', url: '/api/session/identify', payload: { token: jwt } })

t.test('a valid token links the session; its email and name become facts with extractor host', async (t) => {
  const { app, db, logs } = await buildTestApp(t, { config: { identity: { secret: SECRET } } })
  const v = visitor(app)
  await v.post('I am interested in solar panels')
  const jwt = await token({ sub: 'user-42', email: 'Dana@Example.com', name: 'Dana Reyes' })
  const res = await identify(v, jwt)
  t.equal(res.statusCode, 200)
  const { customer_id: customerId } = res.json()
  t.same(res.json(), { customer_id: customerId, identity: 'verified' })
  t.match(await db.selectFrom('customers').selectAll().execute(), [{ id: customerId, external_id: 'user-42', email: null }])
  const profile = (await v.request({ url: '/api/session/profile' })).json()
  t.match(profile, { customer_name: 'Dana Reyes', email: 'dana@example.com' })
  const host = await db.selectFrom('profile_updates').selectAll().where('extractor', '=', 'host').execute()
  t.same(host.map((r) => r.field).sort(), ['customer_name', 'email'])
  t.match(await v.session(), { customer_id: customerId, identity: 'verified' })
  t.notOk(logs.some((line) => line.includes(jwt)), 'the token is never logged')

  const again = await identify(v, await token({ sub: 'user-42' }))
  t.equal(again.statusCode, 200, 'the same user again: nothing new')
  t.equal((await db.selectFrom('identity_links').selectAll().execute()).length, 1)

  // A second browser of the same user joins the same customer.
  const other = visitor(app)
  await other.session()
  t.equal((await identify(other, await token({ sub: 'user-42' }))).json().customer_id, customerId)
})

t.test('forged, foreign, expired or malformed tokens are 401 invalid_identity_token and change nothing', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { identity: { secret: SECRET } } })
  const v = visitor(app)
  await v.session()
  const claims = { sub: 'user-1', email: 'one@example.com' }
  const cases: Array<[string, string]> = [
    ['wrong secret', await token(claims, { secret: 'another-secret-that-is-long-enough-0000' })],
    ['alg none', unsigned({ ...claims, exp: now() + 300 })],
    ['alg HS512 with the right secret', await token(claims, { alg: 'HS512' })],
    ['an HS512 MAC under an HS512 header', hs512Labelled({ ...claims, exp: now() + 300 })],
    ['expired past the leeway', await token(claims, { exp: now() - 120 })],
    ['no exp', await token(claims, { exp: null })],
    ['no sub', await token({ email: 'one@example.com' })],
    ['malformed', 'not.a.jwt'],
    ['garbage', 'x']
  ]
  for (const [name, jwt] of cases) {
    const res = await identify(v, jwt)
    t.equal(res.statusCode, 401, name)
    t.equal(res.json().error.code, 'invalid_identity_token', name)
  }
  t.equal((await identify(v, await token(claims, { exp: now() - 30 }))).statusCode, 200, 'within the 60 s leeway it passes')
  await db.deleteFrom('identity_links').execute()
  const bad = await v.request({ method: 'POST', url: '/api/session/identify', payload: { token: 42 } })
  t.equal(bad.statusCode, 400)
  t.equal((await db.selectFrom('customers').where('external_id', '!=', 'user-1').selectAll().execute()).length, 0, 'no customer made by a refused token')
})

t.test('a token for user A replayed in a session linked to B is 409 already_linked, and nothing changes', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { identity: { secret: SECRET } } })
  const v = visitor(app)
  await v.session()
  t.equal((await identify(v, await token({ sub: 'user-b', name: 'Bea' }))).statusCode, 200)
  const snapshot = async () => ({
    customers: await db.selectFrom('customers').selectAll().orderBy('id').execute(),
    links: await db.selectFrom('identity_links').selectAll().orderBy('id').execute(),
    profiles: await db.selectFrom('profiles').selectAll().orderBy('id').execute(),
    updates: await db.selectFrom('profile_updates').selectAll().orderBy('id').execute()
  })
  const before = await snapshot()
  const res = await identify(v, await token({ sub: 'user-a', name: 'Alex', email: 'alex@example.com' }))
  t.equal(res.statusCode, 409)
  t.equal(res.json().error.code, 'already_linked')
  t.same(await snapshot(), before, 'no customer, link, profile or provenance row changed')
})

t.test('with no secret configured the route is 404', async (t) => {
  const { app } = await buildTestApp(t)
  const v = visitor(app)
  await v.session()
  const res = await identify(v, await token({ sub: 'user-1' }))
  t.equal(res.statusCode, 404)
  t.equal(res.json().error.code, 'not_found')
})
