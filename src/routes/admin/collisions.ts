// GET /api/admin/collisions: email collisions with both sessions side by side (merge and dismiss are the customers
// plugin's routes, POST /api/admin/email-collisions/{id}/merge|dismiss).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CollisionReviewQuerySchema, CollisionReviewSchema } from '../schemas/admin.ts'
import { errorResponses } from '../schemas/common.ts'

const collisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/admin/collisions', {
    config: { admin: true },
    schema: { querystring: CollisionReviewQuerySchema, response: { 200: CollisionReviewSchema, ...errorResponses(400, 404, 429, 503) } }
  }, async (request) => ({ collisions: await app.console.collisions(request.query.status, request.query.limit) }))
}

export default collisionRoutes
