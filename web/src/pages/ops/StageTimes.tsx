/** Time per stage: p50, p95 and p99 of the time orders spent in each status, as bars. */
import type { Pipeline } from '../../api/tracker';
import { formatDuration } from '../../lib/dates';

export function StageTimes({ stages }: { stages: Pipeline['stages'] }) {
  const longest = Math.max(1, ...stages.map((s) => s.p99));
  return (
    <section className="panel">
      <h2>Time per stage</h2>
      <p className="muted">
        Orders that left each status in the window: half were faster than p50, 95% than p95.
      </p>
      <table data-testid="ops-stages">
        <thead>
          <tr>
            <th>Stage</th>
            <th>Orders</th>
            <th>p50</th>
            <th>p95</th>
            <th>p99</th>
            <th className="bar-cell" />
          </tr>
        </thead>
        <tbody>
          {stages.map((s) => (
            <tr key={s.stage} data-testid={`stage-${s.stage}`}>
              <th scope="row">
                <code>{s.stage}</code>
              </th>
              <td>{s.orders}</td>
              <td>{formatDuration(s.p50 * 1000)}</td>
              <td>{formatDuration(s.p95 * 1000)}</td>
              <td>{formatDuration(s.p99 * 1000)}</td>
              <td className="bar-cell" aria-hidden="true">
                <span className="bar p99" style={{ width: `${(100 * s.p99) / longest}%` }} />
                <span className="bar p95" style={{ width: `${(100 * s.p95) / longest}%` }} />
                <span className="bar p50" style={{ width: `${(100 * s.p50) / longest}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
