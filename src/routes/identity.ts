// The visitor's side of SPEC §10: prove an email by a code, prove an identity with the host site's token, erase the
// customer. Each acts for the visitor, so each refuses cross-site requests.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ConfirmCodeBodySchema, IdentifyBodySchema, VerifiedSchema, VerifyEmailBodySchema, VerifyEmailSentSchema } from './schemas/identity.ts'
import { errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

const identityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { session: 'optional', sameOrigin: true } as const

  app.post('/api/session/verify-email', {
    config,
    schema: { body: VerifyEmailBodySchema, response: { 202: VerifyEmailSentSchema, ...errorResponses(400, 403, 404, 415, 429, 502, 503) } }
  }, async (request, reply) => {
    if (!request.session) throw new Errors.NotFound('Session')
    const sent = await app.identity.requestCode(request.session, request.body.email, request.log)
    return reply.code(202).send(sent)
  })

  app.post('/api/session/verify-email/confirm', {
    config,
    schema: { body: ConfirmCodeBodySchema, response: { 200: VerifiedSchema, ...errorResponses(400, 403, 404, 409, 415, 429, 503) } }
  }, async (request) => {
    if (!request.session) throw new Errors.NotFound('Session')
    return await app.identity.confirmCode(request.session, request.body.code, request.log)
  })

  app.post('/api/session/identify', {
    config,
    schema: { body: IdentifyBodySchema, response: { 200: VerifiedSchema, ...errorResponses(400, 401, 403, 404, 409, 415, 503) } }
  }, async (request) => {
    // With no secret configured the route does not exist for anyone.
    if (!app.identity.identifyEnabled) throw new Errors.NotFound('Route')
    if (!request.session) throw new Errors.NotFound('Session')
    return await app.identity.identify(request.session, request.body.token, request.log)
  })

  app.delete('/api/customer', {
    config,
    schema: { response: { 204: Type.Null(), ...errorResponses(403, 404, 503) } }
  }, async (request, reply) => {
    if (!request.session) throw new Errors.NotFound('Customer')
    await app.identity.eraseCustomer(request.session, request.log)
    app.clearSessionCookie(reply)
    return reply.code(204).send(null)
  })
}

export default identityRoutes
