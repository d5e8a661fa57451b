// GET /api/admin/costs/daily (the charts' series) and GET /api/admin/costs/summary (per model, per lead).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CostsDailySchema, CostsQuerySchema, CostsSummarySchema } from '../schemas/admin.ts'
import { errorResponses } from '../schemas/common.ts'

const costRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/admin/costs/daily', {
    config: { admin: true },
    schema: { querystring: CostsQuerySchema, response: { 200: CostsDailySchema, ...errorResponses(400, 404, 429, 503) } }
  }, async (request) => await app.console.costs.daily(request.query))

  app.get('/api/admin/costs/summary', {
    config: { admin: true },
    schema: { querystring: CostsQuerySchema, response: { 200: CostsSummarySchema, ...errorResponses(400, 404, 429, 503) } }
  }, async (request) => await app.console.costs.summary(request.query))
}

export default costRoutes
