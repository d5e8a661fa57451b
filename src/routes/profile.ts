// GET /api/session/profile (the visitor's own) and GET /api/admin/email-collisions (admin token only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  CollisionQuerySchema, EmailCollisionListSchema, FieldHistorySchema, FieldParamsSchema, HistoryQuerySchema,
  ProfilePatchSchema, ProfileSchema
} from './schemas/profile.ts'
import { errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'
import { parsePatch } from '../../plugins/app/profile/patch.ts'

const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/session/profile', {
    config: { session: 'optional' },
    schema: { response: { 200: ProfileSchema, ...errorResponses(503) } }
  }, async (request) => {
    if (!request.session) return { ...app.profile.empty(), updated_at: null, facts: {} }
    return await app.profile.view(request.session)
  })

  app.get('/api/session/profile/history', {
    config: { session: 'optional' },
    schema: { querystring: HistoryQuerySchema, response: { 200: FieldHistorySchema, ...errorResponses(400, 503) } }
  }, async (request) => {
    const { field } = request.query
    return { field, values: request.session ? await app.profile.history(request.session, field) : [] }
  })

  app.patch('/api/session/profile', {
    config: { session: 'optional', sameOrigin: true },
    schema: { body: ProfilePatchSchema, response: { 200: ProfileSchema, ...errorResponses(400, 404, 409, 503) } }
  }, async (request) => {
    // Edits only what a session already has: a PATCH never creates one (SPEC §4).
    if (!request.session) throw new Errors.NotFound('Session')
    const patch = parsePatch(request.body, app.config.profile.default_region)
    if ('email' in patch.values) app.profile.assertEmailEditable(request.session)
    await app.profile.set(request.session, patch, request.log)
    return await app.profile.view(request.session)
  })

  app.delete('/api/session/profile/:field', {
    config: { session: 'optional', sameOrigin: true },
    schema: { params: FieldParamsSchema, response: { 204: Type.Null(), ...errorResponses(400, 409, 503) } }
  }, async (request, reply) => {
    const { field } = request.params
    if (request.session) {
      if (field === 'email') app.profile.assertEmailEditable(request.session)
      await app.profile.forget(request.session, field, request.log)
    }
    return reply.code(204).send(null)
  })

  app.get('/api/admin/email-collisions', {
    schema: { querystring: CollisionQuerySchema, response: { 200: EmailCollisionListSchema, ...errorResponses(404, 503) } }
  }, async (request) => {
    // 404, not 401: the admin surface does not announce itself.
    if (!app.isAdmin(request)) throw new Errors.NotFound('Route')
    return { collisions: await app.profile.collisions(request.query.limit) }
  })
}

export default profileRoutes
