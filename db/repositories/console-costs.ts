// What the assistant cost, per day, model and purpose, for the console's charts (SPEC §12). Aggregated in SQL, money
// summed as numeric and returned as decimal strings.
//
// A closed day (UTC, ended more than an hour ago, so late cost reconciliations have landed) is summarised once into
// the daily books (llm_usage_daily, llm_latency_daily, llm_session_daily) by the first request that needs it; the open
// days are aggregated live. A 90-day chart then reads ~90 book rows and one day of requests instead of a million rows.
// The books per model keep a day's spend after a session is erased (no personal data, and the money was spent); the
// books per session go with the session. The statements are planned for their values (CUSTOM_PLAN): a date range
// decides between an index and a scan.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../types.ts'
import { CUSTOM_PLAN } from '../prepared-statements.ts'

/** A range of whole UTC days, both ends included, as YYYY-MM-DD. */
export interface DayRange { from: string, to: string }

const BOOKS_LOCK = sql`hashtext('salient.llm_daily_books')`
const CUSTOM = sql.raw(CUSTOM_PLAN)
const dayStart = (day: unknown) => sql`(cast(${day} as date)::timestamp at time zone 'UTC')`
const PURPOSE = sql`coalesce(r.request_body->'metadata'->>'purpose', 'unknown')`
const TTFT = sql`(r.response_body->>'ttft_ms')::numeric`
const UTC_DAY = sql`date_trunc('day', r.created_at at time zone 'UTC')::date`

export interface UsageRow {
  day: string | null
  model: string | null
  purpose: string | null
  requests: number
  errors: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  cost: string
}

export interface LatencyRow {
  day: string
  requests: number
  latency_p50_ms: number | null
  latency_p95_ms: number | null
  ttft_p50_ms: number | null
  ttft_p95_ms: number | null
}

export function createConsoleCostRepository (db: Kysely<DB>) {
  /**
   * Puts every closed day of the range that is not in the books yet into them, one day per short transaction (a day
   * is ~1 % of 90 days of requests: no statement comes near the statement timeout, and a day done stays done);
   * answers the first open day.
   */
  async function closeBooks (range: DayRange): Promise<string> {
    const { rows: [state] } = await sql<{ open_day: string, missing: string[] }>`
      with bounds as (select ((clock_timestamp() at time zone 'UTC') - interval '1 hour')::date as open_day)
      select to_char(b.open_day, 'YYYY-MM-DD') as open_day,
        coalesce(array_agg(to_char(d.day, 'YYYY-MM-DD') order by d.day) filter (where d.day is not null), '{}') as missing
      from bounds b left join lateral (
        select g::date as day from generate_series(cast(${range.from} as date), least(cast(${range.to} as date), b.open_day - 1), interval '1 day') g
        where not exists (select 1 from llm_latency_daily l where l.day = g::date)
      ) d on true
      group by b.open_day`.execute(db)
    if (!state) throw new Error('closeBooks: no answer')
    for (const day of state.missing) {
      await db.transaction().execute(async (trx) => {
        // One writer at a time; a day another request has just summarised is skipped.
        await sql`select pg_advisory_xact_lock(${BOOKS_LOCK})`.execute(trx)
        const done = await trx.selectFrom('llm_latency_daily').select('requests').where(sql`day`, '=', sql`cast(${day} as date)`).executeTakeFirst()
        if (!done) await summarise(trx, day)
      })
    }
    return state.open_day
  }

  async function summarise (trx: Kysely<DB>, day: string): Promise<void> {
    const inDay = sql`r.created_at >= ${dayStart(day)} and r.created_at < ${dayStart(day)} + interval '1 day'`
    await sql`
      insert into llm_usage_daily (day, model, purpose, requests, errors, prompt_tokens, completion_tokens, total_tokens, cost)
      select cast(${day} as date), r.model, ${PURPOSE}, count(*), count(*) filter (where r.response_body->>'status' = 'error'),
        sum(r.prompt_tokens), sum(r.completion_tokens), sum(r.total_tokens), coalesce(sum(r.computed_cost), 0)
      from llm_requests r where ${inDay}
      group by 2, 3`.execute(trx)
    await sql`
      insert into llm_latency_daily (day, requests, latency_p50_ms, latency_p95_ms, ttft_p50_ms, ttft_p95_ms)
      select cast(${day} as date), count(*),
        percentile_cont(0.5) within group (order by r.latency_ms), percentile_cont(0.95) within group (order by r.latency_ms),
        percentile_cont(0.5) within group (order by ${TTFT}), percentile_cont(0.95) within group (order by ${TTFT})
      from llm_requests r where ${inDay}`.execute(trx)
    await sql`
      insert into llm_session_daily (day, session_id, requests, cost)
      select cast(${day} as date), r.session_id, count(*), coalesce(sum(r.computed_cost), 0)
      from llm_requests r where ${inDay}
      group by r.session_id`.execute(trx)
  }

  /** Usage rows of the books and the live days, rolled up by (day, model), (day, purpose) and (model). */
  async function usage (range: DayRange, openDay: string): Promise<UsageRow[]> {
    const { rows } = await sql<UsageRow>`${CUSTOM}
      with booked as (
        select day, model, purpose, requests, errors, prompt_tokens, completion_tokens, total_tokens, cost
        from llm_usage_daily where day >= cast(${range.from} as date) and day <= cast(${range.to} as date) and day < cast(${openDay} as date)
      ), live as (
        select ${UTC_DAY} as day, r.model, ${PURPOSE} as purpose, count(*) as requests,
          count(*) filter (where r.response_body->>'status' = 'error') as errors, sum(r.prompt_tokens) as prompt_tokens,
          sum(r.completion_tokens) as completion_tokens, sum(r.total_tokens) as total_tokens, coalesce(sum(r.computed_cost), 0) as cost
        from llm_requests r
        where r.created_at >= greatest(${dayStart(range.from)}, ${dayStart(openDay)}) and r.created_at < ${dayStart(range.to)} + interval '1 day'
        group by 1, 2, 3
      ), all_days as (select * from booked union all select * from live)
      select to_char(day, 'YYYY-MM-DD') as day, model, purpose, sum(requests)::int8 as requests, sum(errors)::int8 as errors,
        sum(prompt_tokens)::int8 as prompt_tokens, sum(completion_tokens)::int8 as completion_tokens,
        sum(total_tokens)::int8 as total_tokens, sum(cost)::text as cost
      from all_days
      group by grouping sets ((day, model), (day, purpose), (model))
      order by day nulls first, model nulls last, purpose nulls last`.execute(db)
    return rows
  }

  async function latency (range: DayRange, openDay: string): Promise<LatencyRow[]> {
    const { rows } = await sql<LatencyRow>`${CUSTOM}
      select to_char(day, 'YYYY-MM-DD') as day, requests::int8 as requests, latency_p50_ms, latency_p95_ms, ttft_p50_ms, ttft_p95_ms
      from llm_latency_daily
      where day >= cast(${range.from} as date) and day <= cast(${range.to} as date) and day < cast(${openDay} as date) and requests > 0
      union all
      select to_char(${UTC_DAY}, 'YYYY-MM-DD'), count(*)::int8,
        percentile_cont(0.5) within group (order by r.latency_ms), percentile_cont(0.95) within group (order by r.latency_ms),
        percentile_cont(0.5) within group (order by ${TTFT}), percentile_cont(0.95) within group (order by ${TTFT})
      from llm_requests r
      where r.created_at >= greatest(${dayStart(range.from)}, ${dayStart(openDay)}) and r.created_at < ${dayStart(range.to)} + interval '1 day'
      group by ${UTC_DAY}
      order by 1`.execute(db)
    return rows
  }

  /**
   * Cost per lead: what the LLM cost, within the range, for the sessions that gave an email or a phone (or are
   * linked to a customer, who proved one) and made a request in it, divided by their number. Closed days come from
   * the books per session, the open day live.
   */
  async function perLead (range: DayRange, openDay: string) {
    const { rows: [row] } = await sql<{ leads: number, spend: string, cost_per_lead: string | null }>`${CUSTOM}
      with reachable as (
        select p.session_id from profiles p where (p.email is not null or p.phone is not null) and p.session_id is not null
        union
        select s.id from sessions s where s.customer_id is not null
      ), spend as (
        select b.session_id, b.requests, b.cost from llm_session_daily b
        where b.day >= cast(${range.from} as date) and b.day <= cast(${range.to} as date) and b.day < cast(${openDay} as date)
        union all
        select r.session_id, count(*), coalesce(sum(r.computed_cost), 0) from llm_requests r
        where r.created_at >= greatest(${dayStart(range.from)}, ${dayStart(openDay)}) and r.created_at < ${dayStart(range.to)} + interval '1 day'
        group by r.session_id
      ), per_session as (
        select spend.session_id, sum(spend.cost) as cost from spend join reachable using (session_id)
        group by spend.session_id having sum(spend.requests) > 0
      )
      select count(*)::int8 as leads, coalesce(sum(cost), 0)::text as spend,
        case when count(*) = 0 then null else trim_scale(round(coalesce(sum(cost), 0) / count(*), 9))::text end as cost_per_lead
      from per_session`.execute(db)
    return row ?? { leads: 0, spend: '0', cost_per_lead: null }
  }

  return {
    closeBooks,
    async daily (range: DayRange) {
      const openDay = await closeBooks(range)
      const [usageRows, latencyRows] = await Promise.all([usage(range, openDay), latency(range, openDay)])
      return { usage: usageRows, latency: latencyRows }
    },

    /** Per model over the range (usage rolled up by model alone), and the cost per lead. */
    async summary (range: DayRange) {
      const openDay = await closeBooks(range)
      const [usageRows, lead] = await Promise.all([usage(range, openDay), perLead(range, openDay)])
      return { models: usageRows.filter((row) => row.day === null), per_lead: lead }
    }
  }
}

export type ConsoleCostRepository = ReturnType<typeof createConsoleCostRepository>
