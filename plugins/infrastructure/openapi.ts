// Owns the API description: @fastify/swagger collects every route registered after it, with its TypeBox schemas, into
// an OpenAPI 3 document (served at /openapi.json by src/routes/probes.ts).
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'

export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: `${app.config.app.name} chat API`, version: '1.0.0', description: 'A website chat assistant that remembers.' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'admin.token' } } }
    },
    // Fastify answers HEAD for every GET: they are routes too.
    exposeHeadRoutes: true
  })
}, { name: 'openapi', dependencies: ['config'] })
