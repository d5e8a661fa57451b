// The entry point: load config, build the app, listen, and close gracefully on a signal.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { loadConfig, ConfigError } from './config/load-config.ts'

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\n`)
    process.exit(78) // EX_CONFIG
  }
  const app = await buildApp({ config })
  closeWithGrace({ delay: config.server.shutdown_grace_ms + 5000, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ event: 'server.closing', signal }, 'closing')
    await app.close()
  })
  await app.listen({ host: config.server.host, port: config.server.port })
}

await main()
