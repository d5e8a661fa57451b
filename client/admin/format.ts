// Display helpers of the console; money stays a decimal string (formatCost never makes it a float).
export { formatCost, formatCount } from '../src/format.ts'

export function formatWhen (value: string | Date | null | undefined): string {
  if (value == null) return '—'
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC'
}

export const text = (value: string | null | undefined): string => (value == null || value === '' ? '—' : value)

export function formatMs (value: number | null | undefined): string {
  return value == null ? '—' : `${Math.round(value).toLocaleString('en-US')} ms`
}

/** Nothing worth showing: null, an empty string, an empty list or an empty object. */
export function isEmptyValue (value: unknown): boolean {
  if (value == null || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

export function formatValue (value: unknown): string {
  if (isEmptyValue(value)) return '—'
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => `${k}: ${String(v)}`).join(', ')
  return String(value)
}

/** YYYY-MM-DD of a UTC day `days` before today. */
export function utcDay (daysAgo = 0, now = Date.now()): string {
  return new Date(now - daysAgo * 86_400_000).toISOString().slice(0, 10)
}
