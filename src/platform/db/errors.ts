/**
 * PostgreSQL errors the services turn into answers a person can act on. Both engines (pg and
 * PGlite) report the server's SQLSTATE as `code` and the violated constraint as `constraint`.
 */
interface PgError {
  code?: unknown;
  constraint?: unknown;
}

/** Whether `err` is a unique violation (23505), of `constraint` when one is named. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as PgError | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.code === '23505' &&
    (constraint === undefined || e.constraint === constraint)
  );
}
