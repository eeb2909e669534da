/**
 * A list of workspace orders kept up to date by the live stream, as plain data and pure
 * functions (the hook in useLiveOrders.ts holds it in React state).
 *
 * Which version of an order wins: between events, the later stream position (the feed orders
 * the changes of one order as they happened; `updatedAt` is a transaction's start and may not).
 * A page is at least as new as its `watermark`: events up to it are in the page already, so a
 * buffered or replayed event cannot take an order back to an older state. A later event may
 * still be older than the page (the page was read after it committed): then `updatedAt` tells.
 */
import type { WorkspaceEvent, WorkspaceOrder, WorkspacePage } from '../api/types';
import { isOverdue } from './workspaceFilter';

interface Version {
  /** updatedAt, in ms. */
  at: number;
  /** The event's id, or the watermark of the page the version came from. */
  position: number;
  fromPage: boolean;
}

export interface LiveList {
  /** The orders that match the list's filter, by id. */
  items: ReadonlyMap<string, WorkspaceOrder>;
  /** The newest version seen of every order, also of those that left the list. */
  versions: ReadonlyMap<string, Version>;
  /** The first page's stream position. */
  watermark: number;
  /** More pages on the server (live additions that would sort past the last loaded row wait for them). */
  nextCursor: string | null;
}

export interface ListRules {
  matches: (order: WorkspaceOrder, now: number) => boolean;
  compare: (a: WorkspaceOrder, b: WorkspaceOrder) => number;
}

const eventWins = (event: Version, current: Version) =>
  event.position > current.position && (!current.fromPage || event.at >= current.at);

const pageWins = (page: Version, current: Version | undefined) =>
  !current || page.position >= current.position || page.at > current.at;

/** The stream's snapshot as a list row (snapshots leave `overdue` out; timestamps may say +00:00). */
export function snapshotToOrder(snapshot: WorkspaceEvent['order'], now = Date.now()): WorkspaceOrder {
  return { ...snapshot, overdue: isOverdue(snapshot, now) };
}

function withPage(list: LiveList | undefined, page: WorkspacePage): LiveList {
  const items = new Map(list?.items);
  const versions = new Map(list?.versions);
  for (const order of page.items) {
    const version = { at: Date.parse(order.updatedAt), position: page.watermark, fromPage: true };
    if (!pageWins(version, versions.get(order.id))) continue;
    versions.set(order.id, version);
    items.set(order.id, order);
  }
  return { items, versions, watermark: list?.watermark ?? page.watermark, nextCursor: page.nextCursor };
}

export function fromPage(page: WorkspacePage): LiveList {
  return withPage(undefined, page);
}

/** The next page (after `nextCursor`), merged: an order already updated live keeps its newer version. */
export function addPage(list: LiveList, page: WorkspacePage): LiveList {
  return withPage(list, page);
}

export function sortedItems(list: LiveList, compare: ListRules['compare']): WorkspaceOrder[] {
  return [...list.items.values()].sort(compare);
}

export function applyEvent(list: LiveList, event: WorkspaceEvent, rules: ListRules): LiveList {
  const id = event.order.id;
  const version = { at: Date.parse(event.order.updatedAt), position: event.id, fromPage: false };
  const current = list.versions.get(id) ?? { at: -Infinity, position: list.watermark, fromPage: true };
  if (!eventWins(version, current)) return list;

  const versions = new Map(list.versions).set(id, version);
  const items = new Map(list.items);
  const order = snapshotToOrder(event.order);
  if (!rules.matches(order, Date.now())) items.delete(id);
  else if (items.has(id) || !sortsPastLoaded(list, order, rules.compare)) items.set(id, order);
  return { ...list, items, versions };
}

/** A new order that sorts after the last loaded row comes with a later page, not now. */
function sortsPastLoaded(list: LiveList, order: WorkspaceOrder, compare: ListRules['compare']): boolean {
  if (list.nextCursor === null) return false;
  let last: WorkspaceOrder | undefined;
  for (const item of list.items.values()) if (!last || compare(item, last) > 0) last = item;
  return last !== undefined && compare(order, last) > 0;
}
