// Owns app.lifecycle: whether the server is draining (a close has begun: SIGTERM, Ctrl+C). Registered right after the
// config, so its preClose hook runs before the chat plugin's, which waits for open turns: /readyz turns 503 at once.
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance { lifecycle: { readonly draining: boolean } }
}

export default fp(async (app) => {
  let draining = false
  app.decorate('lifecycle', { get draining () { return draining } })
  app.addHook('preClose', async () => { draining = true })
}, { name: 'lifecycle' })
