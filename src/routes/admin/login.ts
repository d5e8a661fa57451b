// POST /api/admin/login (the admin token for a salient_admin cookie), POST /api/admin/logout, GET /api/admin/me.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AdminLoginBodySchema, AdminMeSchema } from '../schemas/admin.ts'
import { errorResponses } from '../schemas/common.ts'
import { Errors } from '../../../plugins/infrastructure/errors/error-classes.ts'
import { ADMIN_COOKIE } from '../../../plugins/app/admin.ts'

const loginRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const login = app.adminLogin

  app.post('/api/admin/login', {
    schema: { body: AdminLoginBodySchema, response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 429) } }
  }, async (request, reply) => {
    if (!login.enabled) throw new Errors.NotFound('Route')
    await app.adminLoginThrottle(request, reply)
    if (!login.tokenMatches(request.body.token)) {
      request.log.warn({ event: 'admin.login_failed' }, 'admin login with a wrong token')
      throw new Errors.InvalidAdminToken()
    }
    request.log.info({ event: 'admin.login' }, 'operator signed in')
    return reply.setCookie(ADMIN_COOKIE, login.issue(), login.cookieOptions).code(204).send(null)
  })

  app.post('/api/admin/logout', {
    schema: { response: { 204: Type.Null(), ...errorResponses(403, 404) } }
  }, async (_request, reply) => {
    if (!login.enabled) throw new Errors.NotFound('Route')
    return reply.clearCookie(ADMIN_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: login.cookieOptions.secure }).code(204).send(null)
  })

  app.get('/api/admin/me', {
    config: { admin: true },
    schema: { response: { 200: AdminMeSchema, ...errorResponses(404) } }
  }, async (request) => ({ admin: true as const, via: request.headers.authorization ? 'bearer' as const : 'cookie' as const }))
}

export default loginRoutes
