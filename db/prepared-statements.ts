// Named prepared statements for every parameterised query a pool client runs. Kysely sends each statement unnamed,
// so Postgres parses and plans it on every execution; named, pg parses it once per connection and Postgres reuses
// the plan (bench/FINDINGS.md, "Notes from the code"). Kysely builds the same text for the same
// query shape, so the set of texts is finite; a cap keeps a runaway (texts built from data) from growing without end.
import type pg from 'pg'

const MAX_NAMED_STATEMENTS = 1000

/**
 * A statement whose text starts with this comment runs unnamed, so Postgres plans it for its values every time. For
 * the console's analytical reads, whose best plan depends on the values (a rare search term, a date range): after
 * five runs of a named statement Postgres may switch to one generic plan, 5× slower for a search (bench/RESULTS.md §7).
 */
export const CUSTOM_PLAN = '/* custom plan */'

/** The name for a statement text, made on first sight; undefined past the cap (the statement then runs unnamed). */
function nameFor (names: Map<string, string>, text: string): string | undefined {
  let name = names.get(text)
  if (name === undefined && names.size < MAX_NAMED_STATEMENTS) names.set(text, name = `s${names.size}`)
  return name
}

type QueryFunction = (...args: unknown[]) => unknown

/**
 * Makes `client.query(text, values)` run as a named statement. Only calls with a text and at least one value are
 * named: statements without parameters are mostly one-off (migrations, DDL, `select 1`), and config objects,
 * cursors and callbacks pass through untouched. `names` (statement text → name) is shared by every client of a pool.
 */
export function usePreparedStatements (client: pg.ClientBase, names: Map<string, string>): void {
  const query = client.query.bind(client) as QueryFunction
  const prepared: QueryFunction = (text, values, ...rest) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || rest.length > 0) return query(text, values, ...rest)
    if (text.startsWith(CUSTOM_PLAN)) return query(text, values)
    const name = nameFor(names, text)
    return name === undefined ? query(text, values) : query({ name, text, values })
  }
  client.query = prepared as typeof client.query
}
