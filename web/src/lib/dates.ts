import { LOCALE } from './money';

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Newest first, by createdAt (orders without one go last). */
export function newestFirst<T extends { createdAt?: string | undefined }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}
