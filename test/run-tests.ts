// `npm test`: finds a Postgres server, migrates a fresh template database for this run, runs tap (each test file
// copies the template), then drops what the run made and stops an embedded server if it started one.
import { spawn } from 'node:child_process'
import { findPostgresServer, databaseUrl, withClient } from './helpers/postgres-server.ts'
import { migrateDatabase } from './helpers/db.ts'

// The browser tests and the static-file tests need the client build, as new as the client's sources.
await import('../scripts/build-client.ts')

const run = `salient_run_${Date.now().toString(36)}`
const { url: serverUrl, embedded } = await findPostgresServer()
const template = `${run}_template`

await withClient(serverUrl, (c) => c.query(`create database "${template}"`))
await migrateDatabase(databaseUrl(serverUrl, template))
process.stdout.write(`# test databases on ${new URL(serverUrl).host}${embedded ? ' (embedded)' : ''}, template ${template}\n`)

let summary = ''
const code = await new Promise<number>((resolve) => {
  const child = spawn('npx', ['tap', ...process.argv.slice(2)], {
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, TEST_PG_SERVER_URL: serverUrl, TEST_TEMPLATE_DB: template, TEST_RUN_ID: run }
  })
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk)
    const match = /# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/.exec(chunk.toString())
    if (match) summary = `${match[2]} passed, ${match[3] ?? '0'} failed`
  })
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)))
})
// The plain closing line CI reads.
if (summary) process.stdout.write(`\n${summary}\n`)

await withClient(serverUrl, async (c) => {
  const { rows } = await c.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [run])
  for (const { datname } of rows) await c.query(`drop database if exists "${datname}" with (force)`)
}).catch((err) => process.stderr.write(`cleanup failed: ${(err as Error).message}\n`))
await embedded?.stop()
process.exit(code)
