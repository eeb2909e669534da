/**
 * A list of workspace orders kept up to date by the live stream, as plain data and pure
 * functions (the hook in useLiveOrders.ts holds it in React state). It imports nothing, so the
 * server build compiles it too and test/unit/live-orders.test.ts tests it under `npm test`.
 *
 * Which version of an order wins: between events, the later stream position (the feed orders
 * the changes of one order as they happened; `updatedAt` is a transaction's start and may not).
 * A page is at least as new as its `watermark`: events up to it are in the page already, so a
 * buffered or replayed event cannot take an order back to an older state. A later event may
 * still be older than the page (the page was read after it committed): then `updatedAt` tells.
 *
 * Which orders show: the server pages by a keyset (the sort's time, then the id), so while more
 * pages remain, the loaded rows end at the last row of the last page (the cursor). An order the
 * stream brings that sorts past that row is kept but not shown: the orders between it and the
 * cursor are not loaded yet, and it shows once a page reaches it.
 */

/** What the list needs of an order: its id and when it last changed. */
export interface Listed {
  id: string;
  updatedAt: string;
}

/** One page of `GET /api/mes/workspace/orders`, in the server's order. */
export interface ListPage<T extends Listed> {
  items: readonly T[];
  nextCursor: string | null;
  /** The stream position this page is at least as new as. */
  watermark: number;
}

/** One change from the stream: its event id and the order as it now is. */
export interface Change<T extends Listed> {
  position: number;
  order: T;
}

interface Version {
  /** updatedAt, in ms. */
  at: number;
  /** The event's id, or the watermark of the page the version came from. */
  position: number;
  fromPage: boolean;
}

export interface LiveList<T extends Listed> {
  /** Every order known to match the list's filter, by id (also those past `boundary`). */
  items: ReadonlyMap<string, T>;
  /** The newest version seen of every order, also of those that left the list. */
  versions: ReadonlyMap<string, Version>;
  /** The first page's stream position. */
  watermark: number;
  /** The cursor of the next page; null once every page is loaded. */
  nextCursor: string | null;
  /** The last row of the last page, as that page had it, while more pages remain. */
  boundary: T | null;
}

export interface ListRules<T> {
  /** Whether the server would list the order for this list's filter. */
  matches: (order: T, now: number) => boolean;
  /** The server's order for this list. */
  compare: (a: T, b: T) => number;
}

const eventWins = (event: Version, current: Version) =>
  event.position > current.position && (!current.fromPage || event.at >= current.at);

const pageWins = (page: Version, current: Version | undefined) =>
  !current || page.position >= current.position || page.at > current.at;

function withPage<T extends Listed>(list: LiveList<T> | undefined, page: ListPage<T>): LiveList<T> {
  const items = new Map(list?.items);
  const versions = new Map(list?.versions);
  for (const order of page.items) {
    const version = { at: Date.parse(order.updatedAt), position: page.watermark, fromPage: true };
    if (!pageWins(version, versions.get(order.id))) continue;
    versions.set(order.id, version);
    items.set(order.id, order);
  }
  const last = page.items[page.items.length - 1];
  return {
    items,
    versions,
    watermark: list?.watermark ?? page.watermark,
    nextCursor: page.nextCursor,
    boundary: page.nextCursor === null ? null : (last ?? list?.boundary ?? null),
  };
}

export function fromPage<T extends Listed>(page: ListPage<T>): LiveList<T> {
  return withPage(undefined, page);
}

/** The next page (after `nextCursor`), merged: an order already updated live keeps its newer version. */
export function addPage<T extends Listed>(list: LiveList<T>, page: ListPage<T>): LiveList<T> {
  return withPage(list, page);
}

/** Applies one stream event: the order is upserted while it matches and removed when it does not. */
export function applyChange<T extends Listed>(
  list: LiveList<T>,
  change: Change<T>,
  rules: ListRules<T>,
  now = Date.now(),
): LiveList<T> {
  const { order, position } = change;
  const version = { at: Date.parse(order.updatedAt), position, fromPage: false };
  const current = list.versions.get(order.id) ?? { at: -Infinity, position: list.watermark, fromPage: true };
  if (!eventWins(version, current)) return list;

  const versions = new Map(list.versions).set(order.id, version);
  const items = new Map(list.items);
  if (rules.matches(order, now)) items.set(order.id, order);
  else items.delete(order.id);
  return { ...list, items, versions };
}

/** The rows to show, in the list's order: up to the last loaded row while more pages remain. */
export function visibleItems<T extends Listed>(list: LiveList<T>, compare: ListRules<T>['compare']): T[] {
  const sorted = [...list.items.values()].sort(compare);
  const { boundary } = list;
  if (!boundary) return sorted;
  const past = sorted.findIndex((order) => compare(order, boundary) > 0);
  return past < 0 ? sorted : sorted.slice(0, past);
}
