// Transient database errors and how to repeat work after them. Work that certainly did not happen (no connection,
// a rolled-back transaction) is repeated with backoff; work whose outcome is unknown (the connection died after the
// statement was sent, so it may have committed) is repeated only when it is idempotent, or after checking whether it
// happened: a commit whose outcome is unknown is never blindly repeated.
import { setTimeout as sleep } from 'node:timers/promises'

/** `not_applied`: nothing was done, repeating is safe. `unknown`: it may have been done. */
export type TransientKind = 'not_applied' | 'unknown'

interface ErrorLike { code?: unknown, message?: unknown }

// The transaction was rolled back, or no connection was made: nothing happened.
const NOT_APPLIED_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN'
])

// The connection went away while a statement may have been running (57P01: pg_terminate_backend or a fast shutdown).
// 08007 (transaction_resolution_unknown) is left out on purpose: it is never retried at all.
const UNKNOWN_CODES = new Set(['57P01', '57P02', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])

const CONNECTION_LOST = /Connection terminated|Client has encountered a connection error|terminating connection|server closed the connection/i
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i

export function sqlState (err: unknown): string {
  const code = (err as ErrorLike | null)?.code
  return typeof code === 'string' ? code : ''
}

function messageOf (err: unknown): string {
  const message = (err as ErrorLike | null)?.message
  return typeof message === 'string' ? message : ''
}

/** Every connection was busy for pool_timeout_ms: nothing ran, but repeating at once only adds to the queue. */
export function isPoolTimeout (err: unknown): boolean {
  return POOL_TIMEOUT.test(messageOf(err))
}

export function transientKind (err: unknown): TransientKind | null {
  if (err === null || typeof err !== 'object') return null
  const code = sqlState(err)
  if (NOT_APPLIED_CODES.has(code) || isPoolTimeout(err)) return 'not_applied'
  if (code === '08007') return null
  if (UNKNOWN_CODES.has(code) || (code.startsWith('08') && code.length === 5)) return 'unknown'
  return CONNECTION_LOST.test(messageOf(err)) ? 'unknown' : null
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** No new attempt starts after this long (from the first). */
  budgetMs: number
  /**
   * Also retry what a retry below (the dialect's) already gave up on, and a pool with no free connection: waiting
   * out an outage, where a request's own queries would rather answer 503 at once.
   */
  outlastsOutage?: boolean
}

/** A request's own queries: a few quick tries, so an outage still answers 503 well inside a second. */
export const QUICK: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 400, budgetMs: 1500 }

/**
 * Saving what exists nowhere else (the assistant's reply when its stream closes): worth waiting out a Postgres restart.
 */
export const PERSISTENT: RetryPolicy = { attempts: 1000, baseDelayMs: 100, maxDelayMs: 2000, budgetMs: 60_000, outlastsOutage: true }

const EXHAUSTED = Symbol('retries exhausted')

/** Marks an error as already retried to the end of a budget, so retries stacked above do not multiply the wait. */
function exhausted (err: unknown): unknown {
  if (err !== null && typeof err === 'object') Object.defineProperty(err, EXHAUSTED, { value: true, configurable: true })
  return err
}

export interface RetryOptions<T> {
  policy?: RetryPolicy
  /** Repeating it is harmless even if the failed attempt did happen (reads, absolute updates). */
  idempotent?: boolean
  /** After an `unknown` failure: finds the result if the attempt did happen (undefined if it did not). */
  verify?: () => Promise<T | undefined>
  onRetry?: (info: { attempt: number, delayMs: number, kind: TransientKind, code: string }) => void
}

/** Exponential backoff, half of it random, so clients that failed together do not come back together. */
export function backoffMs (attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}

export async function withRetry<T> (operation: () => Promise<T>, options: RetryOptions<T> = {}): Promise<T> {
  const policy = options.policy ?? QUICK
  const started = Date.now()
  let mustVerify = false
  for (let attempt = 1; ; attempt++) {
    try {
      if (mustVerify) {
        const found = await options.verify!()
        mustVerify = false
        if (found !== undefined) return found
      }
      return await operation()
    } catch (err) {
      const kind = transientKind(err)
      if (kind === null) throw err
      if (((err as { [EXHAUSTED]?: true })[EXHAUSTED] || isPoolTimeout(err)) && !policy.outlastsOutage) throw err
      if (kind === 'unknown' && !options.idempotent && !mustVerify) {
        if (!options.verify) throw err
        mustVerify = true
      }
      const delayMs = backoffMs(attempt, policy)
      if (attempt >= policy.attempts || Date.now() - started + delayMs > policy.budgetMs) throw exhausted(err)
      options.onRetry?.({ attempt, delayMs, kind, code: sqlState(err) })
      await sleep(delayMs)
    }
  }
}
