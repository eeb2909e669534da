import type { Db, Queryable } from '../platform/db/types.js';
import type { ServiceContext } from '../platform/service.js';
import type { WorkspaceCache } from './workspace/cache.js';
import type { WorkspaceFeed } from './workspace/feed.js';
import type { WorkspaceStreams } from './workspace/stream.js';

/** What the MES routes share: the databases, the live feed and its open streams. */
export interface MesDeps {
  ctx: ServiceContext;
  db: Db;
  /** The read replica when one is configured, else the primary: for lists and counts. */
  readDb: Db;
  feed: WorkspaceFeed;
  streams: WorkspaceStreams;
  /** Redis cache-aside for the counts and the default first page, when REDIS_URL is set. */
  cache?: WorkspaceCache;
  /**
   * After a change commits: read the feed now, so open workspaces hear of it at once and the
   * cache forgets what it held before the change answers.
   */
  changed(): Promise<void>;
  /** Runs a change in one transaction, then `changed()`: what every MES write route does. */
  change<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}
