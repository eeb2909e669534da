import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './types.js';

/**
 * Applies `*.sql` files from each directory in name order, once each, recorded in
 * schema_migrations. Several instances starting together take an advisory lock so only one
 * migrates and the others then find nothing to do.
 */
export async function migrate(db: Db, dirs: readonly { label: string; dir: string }[]): Promise<string[]> {
  // Recorded as <label>/<file>, so a service migration never shadows a platform one of the same name.
  const files = dirs.flatMap(({ label, dir }) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.sql'))
          .sort()
          .map((f) => ({ name: `${label}/${f}`, path: join(dir, f) }))
      : [],
  );
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(7243001)');
    await q.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await q.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    const applied: string[] = [];
    for (const f of files) {
      if (done.has(f.name)) continue;
      // Statements run one by one because the extended protocol takes one statement at a time.
      for (const stmt of splitSql(readFileSync(f.path, 'utf8'))) await q.query(stmt);
      await q.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f.name]);
      applied.push(f.name);
    }
    return applied;
  });
}

/** Splits on semicolons at line ends, keeping $$-quoted bodies (functions) whole. */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) && !inDollar) continue;
    current += line + '\n';
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
