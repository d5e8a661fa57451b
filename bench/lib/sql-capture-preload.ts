// Opt-in preload for benchmarks: appends every SQL statement the server sends through pg (text and parameters) to
// $BENCH_SQL_CAPTURE_FILE as JSON lines, so a benchmark can replay exactly what one turn executes with pgbench.
import { appendFileSync } from 'node:fs'
import pg from 'pg'

type QueryConfig = { text?: string, values?: unknown[] }

const file = process.env.BENCH_SQL_CAPTURE_FILE
if (file) {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown
  const patched = function (this: pg.Client, config: string | QueryConfig, values?: unknown, callback?: unknown) {
    const text = typeof config === 'string' ? config : config?.text
    const params = Array.isArray(values) ? values : typeof config === 'object' ? config?.values : undefined
    if (text) appendFileSync(file, `${JSON.stringify({ text, params: (params ?? []).map(serialize) })}\n`)
    return original.call(this, config, values, callback)
  }
  pg.Client.prototype.query = patched as typeof pg.Client.prototype.query
}

function serialize (value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return value
}
