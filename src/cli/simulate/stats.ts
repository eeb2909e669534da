/** Nearest-rank percentiles of a sample, in the unit it was given. */
export function percentiles(values: number[]): {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    count: s.length,
    p50: r(at(50)),
    p95: r(at(95)),
    p99: r(at(99)),
    max: r(s[s.length - 1] as number),
  };
}
