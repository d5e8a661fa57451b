// Seeding in SQL: many sessions' messages at once, with UUIDv7-shaped ids made from created_at so that history
// order (created_at, id) holds, the rows interleaved in time as real traffic would leave them.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/types.ts'

/** Rebuilds the messages indexes after a bulk load instead of maintaining them row by row (same definitions). */
export async function withIndexesRebuilt (db: Kysely<DB>, table: string, load: () => Promise<void>): Promise<void> {
  const { rows } = await sql<{ indexname: string, indexdef: string }>`
    select i.indexname, i.indexdef from pg_indexes i
    where i.tablename = ${table} and i.schemaname = current_schema()
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db)
  for (const r of rows) await sql`drop index ${sql.id(r.indexname)}`.execute(db)
  await load()
  await sql`set maintenance_work_mem = '256MB'`.execute(db)
  for (const r of rows) await sql.raw(r.indexdef).execute(db)
}

/**
 * `perSession` messages for each session in `sessionIds`, alternating human/assistant, one every 10 minutes of a
 * session's life; sessions' timelines overlap so rows of many sessions interleave on disk.
 */
export async function seedMessages (pool: Kysely<DB>, sessionIds: string[], perSession: number): Promise<void> {
  // One connection: the id function lives in its temporary schema.
  await pool.connection().execute(async (db) => {
    await sql`create or replace function pg_temp.bench_uuid7(ts timestamptz) returns uuid language sql volatile as $$
    select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3)
      || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(md5(random()::text), 1, 15))::uuid $$`.execute(db)
    for (let i = 0; i < sessionIds.length; i += 2000) {
      const batch = sessionIds.slice(i, i + 2000)
      await sql`insert into messages (id, session_id, role, content, metadata, created_at)
      select pg_temp.bench_uuid7(t.ts), t.sid, t.role, t.content, t.metadata, t.ts
      from (
        select s.sid,
          timestamptz '2026-01-01' + s.ord * interval '7 seconds' + g * interval '10 minutes' as ts,
          case when g % 2 = 1 then 'human' else 'assistant' end as role,
          case when g % 2 = 1
            then 'Question ' || g || ': ' || repeat('could you tell me more about the plan ', 1 + g % 3)
            else 'Answer ' || g || ': ' || repeat('Here is what our premium plan includes, and what it costs. ', 2 + g % 5) end as content,
          case when g % 2 = 1 then '{}'::jsonb
            else '{"status":"complete","model":"openai/gpt-oss-20b","provider":"openrouter","finish_reason":"stop"}'::jsonb end as metadata
        from unnest(${batch}::uuid[]) with ordinality as s(sid, ord), generate_series(1, ${perSession}) g
        order by ts
      ) t`.execute(db)
    }
  })
}
