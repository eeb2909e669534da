/**
 * The dashboard benchmark's orders: three years of production orders, generated from a fixed
 * seed so every layout (and every run) gets the same rows, in created_at order as they would
 * have arrived. About 95% have ended (mostly CLOSED, some CANCELLED or REJECTED) and sit in the
 * month they ended; about 5%, the newest, are still in work, spread over the active statuses.
 */
import { BinaryCopyWriter, encodeTextArrayField } from './dashboard-copy.js';

export const ACTIVE_STATUSES = [
  'SUBMITTED',
  'PRICE_CALCULATED',
  'PRICING_FAILED',
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
  'SHIPPED',
] as const;
export const ENDED_STATUSES = ['CLOSED', 'CANCELLED', 'REJECTED'] as const;

export const OPERATORS = Array.from({ length: 30 }, (_, i) => `op-${String(i + 1).padStart(2, '0')}`);
const PARTNERS = Array.from({ length: 50 }, (_, i) => `partner-${String(i + 1).padStart(2, '0')}`);
const SKUS = Array.from({ length: 200 }, (_, i) => `RING-${String(i + 1).padStart(4, '0')}`);
const ALLOYS = [
  { id: 'gold-585', density: 13.0, gram: 5200 },
  { id: 'gold-750', density: 15.5, gram: 6900 },
  { id: 'silver-925', density: 10.36, gram: 95 },
  { id: 'platinum-950', density: 20.7, gram: 3400 },
];
const FIRST =
  'Anna Ben Clara David Emma Felix Greta Hugo Ida Jonas Katrin Lukas Mia Noah Olga Paul Rosa Simon Tara Udo Vera Wim Xenia Yara Zoe Marek Lena Tomas Ines Karl'.split(
    ' ',
  );
const LAST =
  'Meyer Schmidt Novak Rossi Dubois Jansen Berg Weber Keller Wagner Costa Moreau Lindqvist Horvat Brandt Fischer Nowak Rizzo Laurent Vogel Kraus Peeters Hansen Sousa Marin Kowalski Bauer Lange Roth Winter'.split(
    ' ',
  );
const REJECTIONS = ['model is not closed', 'wall too thin to cast', 'size out of range', 'customer request'];
const SKILLS = [
  encodeTextArrayField(['casting', 'polishing']),
  encodeTextArrayField(['casting', 'polishing', 'stone-setting']),
  encodeTextArrayField(['casting', 'engraving', 'polishing']),
  encodeTextArrayField(['casting', 'enamel', 'polishing']),
];
const SKILL_WEIGHTS = [70, 15, 10, 5];
// Share of the active orders in each status (a queue of approved pieces, most in the workshop).
const ACTIVE_WEIGHTS = [4, 12, 1, 18, 22, 12, 11, 20];
const ENDED_WEIGHTS = [92, 5, 3];

/** The columns the generator fills, in COPY order, with the type each must have. */
export const COPY_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'uuid'],
  ['number', 'text'],
  ['channel', 'text'],
  ['kind', 'text'],
  ['partner_id', 'text'],
  ['customer_name', 'text'],
  ['status', 'text'],
  ['catalog_sku', 'text'],
  ['alloy', 'text'],
  ['quantity', 'int4'],
  ['list_price_minor', 'int8'],
  ['model_key', 'text'],
  ['price_minor', 'int8'],
  ['currency', 'text'],
  ['breakdown', 'jsonb'],
  ['pricing_ms', 'float8'],
  ['required_skills', '_text'],
  ['operator', 'text'],
  ['approved_at', 'timestamptz'],
  ['assigned_at', 'timestamptz'],
  ['claimed_at', 'timestamptz'],
  ['completed_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['tracking_number', 'text'],
  ['rejection_reason', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['archive_month', 'date'],
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const SPAN_MS = Math.round(3 * 365.25 * DAY);

/** sfc32: a small, fast PRNG with a 128-bit state; the same seed gives the same orders. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** Picks an index by weight. */
function weighted(weights: readonly number[], r: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = r * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** A skewed pick: a few operators and partners do most of the work, as in any workshop. */
export function skewed<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(items.length * r ** 1.6))]!;
}

const pad7 = (n: number): string => String(n).padStart(7, '0');

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** First day (epoch ms, UTC) of every month an order of this data set can end in. */
export function archiveMonths(endMs: number): number[] {
  const months: number[] = [];
  for (let m = monthStart(endMs - SPAN_MS); m <= endMs; m = monthStart(m + 32 * DAY)) months.push(m);
  return months;
}

export interface DataSpec {
  orders: number;
  seed: number;
  /** The newest order's time: the data set ends here (the bench's start of day). */
  endMs: number;
}

/**
 * The orders as binary COPY chunks (about 1 MB each) with how many rows each holds. Orders are
 * spread evenly over the three years, one per time slot, so created_at strictly follows the
 * generation order; an order is still active with a chance that falls from 1 (new) to 0 at
 * a tenth of the span old, which makes about 5% active.
 */
export function* orderChunks(spec: DataSpec): Generator<{ chunks: Buffer[]; rows: number }> {
  const rnd = prng(spec.seed);
  const w = new BinaryCopyWriter();
  const start = spec.endMs - SPAN_MS;
  const step = SPAN_MS / spec.orders;
  const activeWindow = SPAN_MS / 10;
  const fields = COPY_COLUMNS.length;
  let shopSeq = 0;
  let partnerSeq = 0;
  let batch = 0;
  for (let i = 0; i < spec.orders; i++) {
    const created = Math.floor(start + (i + rnd()) * step);
    const age = spec.endMs - created;
    const active = age < activeWindow && rnd() < 1 - age / activeWindow;
    const status = active
      ? ACTIVE_STATUSES[weighted(ACTIVE_WEIGHTS, rnd())]!
      : ENDED_STATUSES[weighted(ENDED_WEIGHTS, rnd())]!;
    const b2b = rnd() < 0.3;
    const number = b2b ? `P-${pad7(++partnerSeq)}` : `S-${pad7(++shopSeq)}`;
    const catalog = rnd() < 0.6;
    const alloy = ALLOYS[Math.floor(rnd() * ALLOYS.length)]!;
    const quantity = rnd() < 0.85 ? 1 : 2 + Math.floor(rnd() * 9);
    const listPrice = catalog ? 20_000 + Math.floor(rnd() * 300_000) : null;

    // How far the order got decides which of its fields are filled.
    const priced =
      status !== 'SUBMITTED' &&
      status !== 'PRICING_FAILED' &&
      !(status === 'REJECTED' && rnd() < 0.5) &&
      !(status === 'CANCELLED' && rnd() < 0.3);
    const approved = !['SUBMITTED', 'PRICE_CALCULATED', 'PRICING_FAILED', 'CANCELLED', 'REJECTED'].includes(
      status,
    );
    const assigned = approved && (status !== 'MANUFACTURING_APPROVED' || rnd() < 0.4);
    const claimed = assigned && status !== 'MANUFACTURING_APPROVED';
    const completed = claimed && status !== 'MANUFACTURING_STARTED';
    const shipped = status === 'SHIPPED' || status === 'CLOSED';
    const cap = (t: number): number => Math.min(t, spec.endMs - Math.floor(rnd() * HOUR));
    const pricedAt = created + Math.floor(rnd() * 20_000);
    const approvedAt = approved ? cap(pricedAt + Math.floor(rnd() * 48 * HOUR)) : null;
    const assignedAt = assigned ? cap(approvedAt! + Math.floor(rnd() * 24 * HOUR)) : null;
    const claimedAt = claimed ? cap(assignedAt! + Math.floor(rnd() * 24 * HOUR)) : null;
    const completedAt = completed ? cap(claimedAt! + 2 * HOUR + Math.floor(rnd() * 94 * HOUR)) : null;
    const endedAt =
      status === 'CLOSED'
        ? cap(completedAt! + 2 * DAY + Math.floor(rnd() * 18 * DAY))
        : status === 'CANCELLED' || status === 'REJECTED'
          ? cap(created + Math.floor(rnd() * 5 * DAY))
          : null;
    const updated =
      endedAt ??
      (shipped || status === 'PACKAGING'
        ? cap(completedAt! + Math.floor(rnd() * 6 * DAY))
        : (completedAt ?? claimedAt ?? assignedAt ?? approvedAt ?? (priced ? pricedAt : created)));
    const operator = assigned ? skewed(OPERATORS, rnd()) : null;
    const metalGrams = Math.round((2 + rnd() * 20) * 100) / 100;
    const labour = 2_000 + Math.floor(rnd() * 8_000);
    const price = priced ? (listPrice ?? Math.round(metalGrams * alloy.gram) + labour) * quantity : null;
    const breakdown = !priced
      ? null
      : catalog
        ? `{"alloy": "${alloy.id}", "method": "catalog", "quantity": ${quantity}, "metalMinor": ${listPrice! - labour}, "labourMinor": ${labour}}`
        : `{"alloy": "${alloy.id}", "model": {"triangles": ${20_000 + Math.floor(rnd() * 400_000)}}, "method": "mesh", "labourMinor": ${labour}, "metalGrams": ${metalGrams}, "metalMinor": ${Math.round(metalGrams * alloy.gram)}, "volumeMm3": ${Math.round((metalGrams / alloy.density) * 100_000) / 100}, "densityGPerCm3": ${alloy.density}, "priceListVersion": 3, "pricePerGramMinor": ${alloy.gram}}`;

    w.row(fields);
    w.uuidV7(
      created,
      (rnd() * 4_294_967_296) >>> 0,
      (rnd() * 4_294_967_296) >>> 0,
      (rnd() * 4_294_967_296) >>> 0,
    );
    w.text(number);
    w.text(b2b ? 'b2b' : 'b2c');
    w.text(catalog ? 'catalog' : 'custom');
    w.text(b2b ? skewed(PARTNERS, rnd()) : null);
    w.text(`${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`);
    w.text(status);
    w.text(catalog ? SKUS[Math.floor(rnd() * SKUS.length)]! : null);
    w.text(alloy.id);
    w.int4(quantity);
    w.int8(listPrice);
    w.text(catalog ? null : `models/${number}.stl`);
    w.int8(price);
    w.text(priced ? 'EUR' : null);
    w.jsonb(breakdown);
    w.float8(priced ? Math.round(5 + rnd() * 3_000) / 10 : null);
    w.raw(SKILLS[weighted(SKILL_WEIGHTS, rnd())]!);
    w.text(operator);
    w.timestamp(approvedAt);
    w.timestamp(assignedAt);
    w.timestamp(claimedAt);
    w.timestamp(completedAt);
    w.timestamp(created + 21 * DAY);
    w.text(shipped ? `TRK${String(i).padStart(10, '0')}` : null);
    w.text(status === 'REJECTED' ? REJECTIONS[Math.floor(rnd() * REJECTIONS.length)]! : null);
    w.timestamp(created);
    w.timestamp(updated);
    w.date(endedAt === null ? 'infinity' : monthStart(endedAt));
    if (++batch === 4096) {
      yield { chunks: w.take(), rows: batch };
      batch = 0;
    }
  }
  yield { chunks: w.take(true), rows: batch };
}
