import t from 'tap'
import { Type } from '@sinclair/typebox'
import { buildTestApp } from '../../helpers/app.ts'

async function appWithProbeRoutes (t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t)
  app.post('/probe', {
    schema: {
      body: Type.Object({ message: Type.String(), count: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10, default: 5 }) })
    }
  }, async (request) => ({ body: request.body, limit: request.query.limit }))
  app.get('/boom', async () => { throw new Error('secret internal detail') })
  return app
}

t.test('a JSON 404 for unknown routes', async (t) => {
  const app = await appWithProbeRoutes(t)
  const res = await app.inject({ url: '/nowhere?x=1' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: { code: 'not_found', message: 'No route for GET /nowhere' } })
})

t.test('validation errors are 400 and name the field', async (t) => {
  const app = await appWithProbeRoutes(t)
  const cases: Array<[string, object, string, RegExp]> = [
    ['wrong type', { message: 42 }, '', /body\.message/],
    ['missing field', {}, '', /body\.message/],
    ['unknown field', { message: 'hi', admin: true }, '', /body\.admin/],
    ['bad query', { message: 'hi' }, '?limit=zero', /query\.limit/],
    ['query out of range', { message: 'hi' }, '?limit=99', /query\.limit/]
  ]
  for (const [label, payload, query, pattern] of cases) {
    const res = await app.inject({ method: 'POST', url: `/probe${query}`, payload })
    t.equal(res.statusCode, 400, label)
    t.equal(res.json().error.code, 'invalid_request', label)
    t.match(res.json().error.message, pattern, label)
  }
  const ok = await app.inject({ method: 'POST', url: '/probe?limit=3', payload: { message: 'hi' } })
  t.same(ok.json(), { body: { message: 'hi' }, limit: 3 }, 'query strings are converted, defaults applied')
})

t.test('malformed JSON, wrong content types and huge bodies get 4xx in the same shape', async (t) => {
  const app = await appWithProbeRoutes(t)
  const bad = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'application/json' }, payload: '{"message": ' })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error.code, 'invalid_json')
  const type = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' })
  t.equal(type.statusCode, 415)
  t.equal(type.json().error.code, 'unsupported_media_type')
  const huge = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ message: 'x'.repeat(200_000) }) })
  t.equal(huge.statusCode, 413)
  t.equal(huge.json().error.code, 'body_too_large')
})

t.test('a 500 hides its details from the client and logs them', async (t) => {
  const { app, logs } = await buildTestApp(t)
  app.get('/boom', async () => { throw new Error('secret internal detail') })
  const res = await app.inject({ url: '/boom' })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: { code: 'internal_error', message: 'Something went wrong on our side' } })
  t.notMatch(res.body, /secret|stack|at /)
  t.ok(logs.some((l) => l.includes('secret internal detail')), 'the cause is in the log')
})
