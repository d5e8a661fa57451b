// kysely-ctl's configuration: `npm run migrate` migrates DATABASE_URL (or the local default) to the latest schema.
import { PostgresDialect } from 'kysely'
import { defineConfig } from 'kysely-ctl'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export default defineConfig({
  dialect: new PostgresDialect({
    pool: new pg.Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/salient', max: 1 })
  }),
  migrations: { migrationFolder: fileURLToPath(new URL('../migrations', import.meta.url)) }
})
