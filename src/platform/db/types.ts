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
  /** Inside a transaction: tags it, so `onCommit` listeners hear of it once it has committed. */
  tag?(name: string): void;
  /** Inside a transaction: runs `fn` once it has committed (never if it rolls back). */
  afterCommit?(fn: () => void): void;
}

export interface Db extends Queryable {
  readonly engine: 'pg' | 'pglite';
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` after each transaction that was tagged with `name` commits. In-process and
   * free, unlike NOTIFY, whose queue lock makes PostgreSQL commit notifying transactions one at
   * a time across the whole server.
   */
  onCommit(name: string, listener: () => void): () => void;
  close(): Promise<void>;
  /** Connection-pool figures, for health and metrics. */
  stats(): { total: number; idle: number; waiting: number };
}
