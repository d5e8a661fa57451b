// GET /admin and GET /admin/*: the operator console's single page (client/admin.html), for every view's address so
// that a reload or a shared link opens that view. The page learns from a meta tag whether an admin token is set;
// the console itself then asks the API whether this browser is signed in.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorResponses } from '../schemas/common.ts'
import { Errors } from '../../../plugins/infrastructure/errors/error-classes.ts'
import { CLIENT_DIST } from '../client.ts'

const STATUS_META = /<meta name="salient-admin" content="[a-z]*">/

const consolePageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const file = path.join(CLIENT_DIST, 'admin.html')
  const built = existsSync(file) ? readFileSync(file, 'utf8') : null
  const status = app.adminLogin.enabled ? 'enabled' : 'disabled'
  const html = built?.replace(STATUS_META, `<meta name="salient-admin" content="${status}">`) ?? null

  const schema = { response: { 200: Type.String(), ...errorResponses(503) } }
  const handler = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!html) throw new Errors.ClientNotBuilt('console')
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
  }
  app.get('/admin', { schema }, handler)
  app.get('/admin/*', { schema }, handler)
}

export default consolePageRoutes
