// The entry point: load config, build the app, listen, and close gracefully on a signal.
// Shutdown (SIGTERM, SIGINT): stop accepting connections at once; open streams get server.shutdown_grace_ms to finish,
// then are cut and their partial replies saved (the chat plugin's preClose hook); then the pool closes; exit 0.
import closeWithGrace from 'close-with-grace'
import { EX_CONFIG, loadConfigOrReport } from '../plugins/infrastructure/config/load-config.ts'
import { EmbeddedPostgresError } from '../db/embedded-postgres.ts'

// Beyond the grace: time to save the cut replies and close the pool before close-with-grace gives up (exit 1).
const CLOSE_MARGIN_MS = 10_000
/** EX_UNAVAILABLE (sysexits.h): a service the server needs (the embedded Postgres) cannot be started. */
const EX_UNAVAILABLE = 69

async function main (): Promise<void> {
  const config = loadConfigOrReport()
  if (!config) process.exit(EX_CONFIG)
  // Imported once the configuration is known to be good: a wrong one is reported without loading the whole app.
  const { buildApp } = await import('./app.ts')
  const app = await buildApp({ config }).catch((err: unknown) => {
    // A database that cannot start is said in one line (what is wrong, and what to do), not a stack trace.
    if (!(err instanceof EmbeddedPostgresError)) throw err
    process.stderr.write(`${err.message}\n`)
    process.exit(EX_UNAVAILABLE)
  })
  closeWithGrace({ delay: config.server.shutdown_grace_ms + CLOSE_MARGIN_MS, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ event: 'server.closing', signal, grace_ms: config.server.shutdown_grace_ms }, 'closing')
    // No new connections from here on (idle keep-alive ones are closed too); requests already open carry on.
    app.server.close()
    await app.close()
    app.log.info({ event: 'server.closed' }, 'closed')
  })
  // A burst of new visitors while the event loop is busy must queue, not be dropped (Node's default backlog is 511).
  await app.listen({ host: config.server.host, port: config.server.port, backlog: 4096 })
}

await main()
