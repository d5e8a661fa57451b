// GET /api/admin/leads (one keyset page) and GET /api/admin/leads.csv (every match, streamed).
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { LeadPageSchema, LeadsExportQuerySchema, LeadsQuerySchema } from '../schemas/admin.ts'
import { errorResponses } from '../schemas/common.ts'

/** text/csv, streamed (a stream is sent as it is, never serialized). */
const CsvSchema = Type.Unsafe<Readable>({ type: 'string', description: 'text/csv' })

const leadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/admin/leads', {
    config: { admin: true },
    schema: { querystring: LeadsQuerySchema, response: { 200: LeadPageSchema, ...errorResponses(400, 404, 429, 503) } }
  }, async (request) => await app.console.leads(request.query))

  app.get('/api/admin/leads.csv', {
    config: { admin: true },
    schema: { querystring: LeadsExportQuerySchema, response: { 200: CsvSchema, ...errorResponses(400, 404, 429, 503) } }
  }, async (request, reply) => {
    const lines = app.console.leadsCsv(request.query)
    // The first page is read before answering, so a bad filter is still a JSON 400, not a broken download.
    const first = await lines.next()
    async function * all () {
      if (!first.done) yield first.value
      yield * lines
    }
    const stamp = new Date().toISOString().slice(0, 10)
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="leads-${stamp}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(all()))
  })
}

export default leadRoutes
