// The chat client: GET / (which starts the visitor's session), its hashed assets, and its settings.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errorResponses } from './schemas/common.ts'
import { ClientConfigSchema } from './schemas/client.ts'
import { PROJECT_ROOT } from '../../plugins/infrastructure/project-root.ts'
import { Errors } from '../../plugins/infrastructure/errors/error-classes.ts'

export const CLIENT_DIST = path.join(PROJECT_ROOT, 'client/dist')

const clientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const indexFile = path.join(CLIENT_DIST, 'index.html')
  const indexHtml = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null
  if (!indexHtml) app.log.warn({ event: 'client.missing', dir: CLIENT_DIST }, 'client build missing: run `npm run build:client`')

  app.get('/', { config: { session: 'create' }, schema: { response: { 200: Type.String(), ...errorResponses(503) } } }, async (_request, reply) => {
    if (!indexHtml) throw new Errors.ClientNotBuilt('chat client')
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml)
  })

  app.get('/api/client-config', { schema: { response: { 200: ClientConfigSchema } } }, async () => ({
    app_name: app.config.app.name,
    ui: app.config.ui
  }))

  if (!existsSync(CLIENT_DIST)) return
  await app.register(fastifyStatic, {
    root: CLIENT_DIST,
    prefix: '/',
    index: false,
    wildcard: true,
    schemaHide: false, // in /openapi.json too: every route is
    dotfiles: 'deny',
    cacheControl: false,
    setHeaders (res, filePath) {
      // Files under assets/ carry a content hash in their names: they never change, so cache them for a year.
      const hashed = filePath.startsWith(path.join(CLIENT_DIST, 'assets') + path.sep)
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
}

export default clientRoutes
