// Kysely's Postgres dialect with transient-error retries below every repository: taking a connection is retried
// (nothing has run yet), and a statement outside a transaction is run again on a fresh connection when it is a plain
// read, or when the failure says it was not applied. Transactions are never split: inside one, errors pass through
// (only the caller can repeat a whole transaction that was rolled back, with withRetry from db/retry.ts).
import {
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type OperationNode,
  type PostgresDialectConfig,
  type QueryResult,
  type TransactionSettings
} from 'kysely'
import { QUICK, withRetry, type RetryOptions, type RetryPolicy } from './retry.ts'

export interface RetryingDialectOptions {
  policy?: RetryPolicy
  onRetry?: RetryOptions<unknown>['onRetry']
}

interface QueryNode extends OperationNode {
  with?: { expressions: ReadonlyArray<{ expression: OperationNode }> }
}

/** A SELECT whose common table expressions are SELECTs too (a CTE can hide an INSERT inside a SELECT). */
export function isReadOnly (query: CompiledQuery): boolean {
  const node = query.query as QueryNode
  if (node.kind !== 'SelectQueryNode') return false
  return (node.with?.expressions ?? []).every((cte) => cte.expression.kind === 'SelectQueryNode')
}

class RetryingConnection implements DatabaseConnection {
  inTransaction = false

  constructor (
    private readonly driver: Driver,
    public current: DatabaseConnection | null,
    private readonly options: RetryingDialectOptions
  ) {}

  async executeQuery<R> (query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return await this.connection().executeQuery<R>(query)
    let attempt = 0
    return await withRetry(async () => {
      if (attempt++ > 0) await this.reconnect()
      return await this.connection().executeQuery<R>(query)
    }, { policy: this.options.policy ?? QUICK, idempotent: isReadOnly(query), onRetry: this.options.onRetry })
  }

  streamQuery<R> (query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection().streamQuery<R>(query, chunkSize)
  }

  /** The pool drops a broken client on release (pg checks it is still queryable) and hands out a new one. */
  private async reconnect (): Promise<void> {
    const old = this.current
    this.current = null
    if (old) await this.driver.releaseConnection(old)
    this.current = await this.driver.acquireConnection()
  }

  private connection (): DatabaseConnection {
    if (!this.current) throw Object.assign(new Error('Connection terminated: no database connection'), { code: '08003' })
    return this.current
  }
}

/** A commit or rollback, after which the connection is out of the transaction even when it failed. */
async function endTransaction (connection: DatabaseConnection, end: (c: RetryingConnection) => Promise<void>): Promise<void> {
  const c = connection as RetryingConnection
  try {
    await end(c)
  } finally {
    c.inTransaction = false
  }
}

class RetryingDriver implements Driver {
  constructor (private readonly inner: Driver, private readonly options: RetryingDialectOptions) {}

  async init (): Promise<void> {
    await this.inner.init()
  }

  async acquireConnection (): Promise<DatabaseConnection> {
    // Connecting never runs anything, so every transient failure here is safe to repeat.
    const connection = await withRetry(() => this.inner.acquireConnection(), {
      policy: this.options.policy ?? QUICK, idempotent: true, onRetry: this.options.onRetry
    })
    return new RetryingConnection(this.inner, connection, this.options)
  }

  async beginTransaction (connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as RetryingConnection
    c.inTransaction = true
    await this.inner.beginTransaction(c, settings)
  }

  async commitTransaction (connection: DatabaseConnection): Promise<void> {
    await endTransaction(connection, (c) => this.inner.commitTransaction(c))
  }

  async rollbackTransaction (connection: DatabaseConnection): Promise<void> {
    await endTransaction(connection, (c) => this.inner.rollbackTransaction(c))
  }

  async savepoint (connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.savepoint!(connection, name, compile)
  }

  async rollbackToSavepoint (connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection, name, compile)
  }

  async releaseSavepoint (connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.inner.releaseSavepoint!(connection, name, compile)
  }

  async releaseConnection (connection: DatabaseConnection): Promise<void> {
    const c = connection as RetryingConnection
    const current = c.current
    c.current = null
    c.inTransaction = false
    if (current) await this.inner.releaseConnection(current)
  }

  async destroy (): Promise<void> {
    await this.inner.destroy()
  }
}

export class RetryingPostgresDialect extends PostgresDialect {
  readonly #options: RetryingDialectOptions

  constructor (config: PostgresDialectConfig, options: RetryingDialectOptions = {}) {
    super(config)
    this.#options = options
  }

  override createDriver (): Driver {
    return new RetryingDriver(super.createDriver(), this.#options)
  }
}
