// The operators' side of SPEC §10: merge or dismiss an email collision, list identity links and undo one. Admin only
// (404 otherwise: the admin surface does not announce itself); changes only from the server's own origin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { CollisionRecordSchema, IdentityLinkListSchema, IdentityLinkSchema, IdParamsSchema, PageQuerySchema } from './schemas/identity.ts'
import { errorResponses } from './schemas/common.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

const adminIdentityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAdmin = async (request: FastifyRequest) => {
    if (!app.isAdmin(request)) throw new Errors.NotFound('Route')
  }
  // onRequest: before validation, so a stranger learns nothing from a 400 either.
  const change = { config: { sameOrigin: true }, onRequest: requireAdmin }
  const changeErrors = errorResponses(400, 403, 404, 409, 503)

  app.post('/api/admin/email-collisions/:id/merge', {
    ...change,
    schema: { params: IdParamsSchema, response: { 200: CollisionRecordSchema, ...changeErrors } }
  }, async (request) => await app.identity.mergeCollision(request.params.id, request.log))

  app.post('/api/admin/email-collisions/:id/dismiss', {
    ...change,
    schema: { params: IdParamsSchema, response: { 200: CollisionRecordSchema, ...changeErrors } }
  }, async (request) => await app.identity.dismissCollision(request.params.id, request.log))

  app.post('/api/admin/identity-links/:id/undo', {
    ...change,
    schema: { params: IdParamsSchema, response: { 200: IdentityLinkSchema, ...changeErrors } }
  }, async (request) => await app.identity.undoLink(request.params.id, request.log))

  app.get('/api/admin/identity-links', {
    onRequest: requireAdmin,
    schema: { querystring: PageQuerySchema, response: { 200: IdentityLinkListSchema, ...errorResponses(400, 404, 503) } }
  }, async (request) => {
    const { items, hasMore } = await app.identity.links({ limit: request.query.limit, before: request.query.before })
    return { links: items, has_more: hasMore }
  })
}

export default adminIdentityRoutes
