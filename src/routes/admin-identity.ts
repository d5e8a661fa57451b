// The operators' side of SPEC §10: merge or dismiss an email collision, list identity links and undo one, and page
// through the outbox. Admin only (`config.admin`: 404 to anyone else; changes only from the server's own origin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CollisionRecordSchema, IdentityLinkListSchema, IdentityLinkSchema, IdParamsSchema, OutboxListSchema, PageQuerySchema } from './schemas/identity.ts'
import { errorResponses } from './schemas/common.ts'

const adminIdentityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { admin: true }
  const changeErrors = errorResponses(400, 403, 404, 409, 503)

  app.post('/api/admin/email-collisions/:id/merge', {
    config,
    schema: { params: IdParamsSchema, response: { 200: CollisionRecordSchema, ...changeErrors } }
  }, async (request) => await app.identity.mergeCollision(request.params.id, request.log))

  app.post('/api/admin/email-collisions/:id/dismiss', {
    config,
    schema: { params: IdParamsSchema, response: { 200: CollisionRecordSchema, ...changeErrors } }
  }, async (request) => await app.identity.dismissCollision(request.params.id, request.log))

  app.post('/api/admin/identity-links/:id/undo', {
    config,
    schema: { params: IdParamsSchema, response: { 200: IdentityLinkSchema, ...changeErrors } }
  }, async (request) => await app.identity.undoLink(request.params.id, request.log))

  app.get('/api/admin/identity-links', {
    config,
    schema: { querystring: PageQuerySchema, response: { 200: IdentityLinkListSchema, ...errorResponses(400, 404, 503) } }
  }, async (request) => {
    const { items, hasMore } = await app.identity.links({ limit: request.query.limit, before: request.query.before })
    return { links: items, has_more: hasMore }
  })

  app.get('/api/admin/outbox', {
    config,
    schema: { querystring: PageQuerySchema, response: { 200: OutboxListSchema, ...errorResponses(400, 404, 503) } }
  }, async (request) => {
    const { items, hasMore } = await app.mail.list({ limit: request.query.limit, before: request.query.before })
    return { emails: items, has_more: hasMore }
  })
}

export default adminIdentityRoutes
