// pgbench with a custom script: the statements one turn executes, as captured from the server (sql-capture-preload),
// replayed with a random pre-seeded session per transaction. Its TPS is the Postgres ceiling for a turn here.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { DB } from '../../db/types.ts'

const run = promisify(execFile)

export interface CapturedQuery { text: string, params: unknown[] }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// pgbench turns `:name` into a variable anywhere in a command, string literals included.
const VARIABLE_LIKE = /:[A-Za-z_]/

/** The hash pgbench's session n has as session_key (computed in SQL from :n). */
export const PGBENCH_KEY_EXPR = "encode(sha256(convert_to('pgbench-' || :n, 'UTF8')), 'hex')"

export async function seedPgbenchSessions (db: Kysely<DB>, count: number): Promise<void> {
  await sql`insert into sessions (id, session_key)
    select gen_random_uuid(), encode(sha256(convert_to('pgbench-' || n, 'UTF8')), 'hex') from generate_series(1, ${count}) n`.execute(db)
}

function literal (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  let text = String(value)
  if (VARIABLE_LIKE.test(text)) {
    // JSON: the same document with a space after each colon, which pgbench leaves alone (jsonb stores it identically).
    try { text = JSON.stringify(JSON.parse(text), null, 1).replace(/\n\s*/g, ' ') } catch {}
  }
  if (VARIABLE_LIKE.test(text)) throw new Error(`a captured parameter cannot be written into a pgbench script: ${text.slice(0, 80)}`)
  return `'${text.replaceAll("'", "''")}'`
}

/**
 * The captured statements as a pgbench script: the session's key and id become the random session's, new row ids
 * become gen_random_uuid(), everything else is inlined as an untyped literal (as pg sends an untyped parameter).
 */
export function turnScript (queries: CapturedQuery[], session: { id: string, keyHash: string }, sessionCount: number): string {
  const lines = [`\\set n random(1, ${sessionCount})`]
  for (const [i, q] of queries.entries()) {
    const text = q.text.replace(/\$(\d+)/g, (_m, d: string) => {
      const value = q.params[Number(d) - 1]
      if (value === session.keyHash) return PGBENCH_KEY_EXPR
      if (value === session.id) return ':s_id'
      if (typeof value === 'string' && UUID.test(value)) return 'gen_random_uuid()'
      return literal(value)
    })
    if (VARIABLE_LIKE.test(text.replace(/:(n|s_id)\b/g, ''))) throw new Error(`statement ${i + 1} has a colon pgbench would misread`)
    // The statement that finds the session (by its key) provides the id the others use.
    lines.push(q.params.includes(session.keyHash) ? `${text}\n\\gset s_` : `${text};`)
  }
  return `${lines.join('\n')}\n`
}

export interface PgbenchResult { tps: number, latencyMs: number, transactions: number, failed: number }

export async function pgbench (opts: { url: string, script: string, scriptFile: string, clients: number, durationS: number, mode?: 'prepared' | 'extended' | 'simple' }): Promise<PgbenchResult> {
  writeFileSync(opts.scriptFile, opts.script)
  const { stdout } = await run('pgbench', [
    '-n', '-M', opts.mode ?? 'prepared', '-c', String(opts.clients), '-j', '2', '-T', String(opts.durationS), '-f', opts.scriptFile, opts.url
  ], { maxBuffer: 1 << 22 })
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? Number.NaN)
  return {
    tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/) || 0
  }
}
