// GET /api/session/profile (the visitor's own) and GET /api/admin/email-collisions (admin token only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CollisionQuerySchema, EmailCollisionListSchema, ProfileSchema } from './schemas/profile.ts'
import { errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/session/profile', {
    config: { session: 'optional' },
    schema: { response: { 200: ProfileSchema, ...errorResponses(503) } }
  }, async (request) => {
    const profile = request.session ? await app.profile.profileFor(request.session) : null
    return profile ?? { ...app.profile.empty(), updated_at: null }
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
