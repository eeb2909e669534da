/**
 * One database interface over two engines: node-postgres against a PostgreSQL server in
 * distributed mode, PGlite (PostgreSQL compiled to WASM, stored on local disk) in embedded mode.
 * Services write plain PostgreSQL SQL and never know which engine runs it.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly engine: 'pg' | 'pglite';
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs SQL that may hold several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Connection-pool figures, for health and metrics. */
  stats(): { total: number; idle: number; waiting: number };
}
