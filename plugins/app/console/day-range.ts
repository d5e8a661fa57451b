// Date ranges of the console: whole UTC days, both ends included, at most a year (a longer chart is unreadable and
// an unbounded one is a way to make the database work for nothing).
import { Errors } from '../../infrastructure/errors/error-classes.ts'
import type { DayRange } from '../../../db/repositories/console-costs.ts'

export const MAX_RANGE_DAYS = 366
const DAY_MS = 86_400_000

export const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10)

export function parseDay (value: string, name: string): number {
  const time = Date.parse(`${value}T00:00:00Z`)
  // Date.parse rolls 2026-02-31 over to March: a day that does not print back the same did not exist.
  if (Number.isNaN(time) || isoDay(time) !== value) throw new Errors.InvalidRange(`${name} is not a calendar day (YYYY-MM-DD)`)
  return time
}

/** The range asked for, or the `defaultDays` days up to today (UTC). */
export function dayRange (query: { from?: string, to?: string }, defaultDays = 30, now = Date.now()): DayRange {
  const to = query.to ? parseDay(query.to, 'to') : Date.parse(`${isoDay(now)}T00:00:00Z`)
  const from = query.from ? parseDay(query.from, 'from') : to - (defaultDays - 1) * DAY_MS
  if (from > to) throw new Errors.InvalidRange('from is after to')
  const days = (to - from) / DAY_MS + 1
  if (days > MAX_RANGE_DAYS) throw new Errors.InvalidRange(`the range spans ${days} days; at most ${MAX_RANGE_DAYS}`)
  return { from: isoDay(from), to: isoDay(to) }
}
