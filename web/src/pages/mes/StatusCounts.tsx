/** Orders per status (live), the queue and the active total; a status picks the "All orders" list. */
import type { OrderStatus, WorkspaceCounts } from '../../api/types';
import { STATUS_LABELS } from '../../lib/status';
import { ENDED_STATUSES, MES_STATUSES } from '../../lib/workspaceFilter';

interface StatusCountsProps {
  counts: WorkspaceCounts | undefined;
  selected: readonly OrderStatus[] | undefined;
  onPick: (status: OrderStatus) => void;
}

export function StatusCounts({ counts, selected, onPick }: StatusCountsProps) {
  if (!counts) return <p className="muted">Loading the counts…</p>;
  // Ended statuses only when there are some: they grow for ever and matter less on the floor.
  const shown = MES_STATUSES.filter((s) => !ENDED_STATUSES.includes(s) || (counts.counts[s] ?? 0) > 0);
  return (
    <div className="counts" data-testid="mes-counts">
      <span className="count count-total" data-testid="count-queue" data-count={counts.queue}>
        <strong>{counts.queue}</strong> in the queue
      </span>
      <span className="count count-total" data-testid="count-active" data-count={counts.active}>
        <strong>{counts.active}</strong> active
      </span>
      {shown.map((status) => {
        const n = counts.counts[status] ?? 0;
        return (
          <button
            key={status}
            type="button"
            className="count"
            data-testid={`count-${status}`}
            data-count={n}
            aria-pressed={selected?.includes(status) ?? false}
            title={`${STATUS_LABELS[status]}: show them in All orders`}
            onClick={() => onPick(status)}
          >
            <strong>{n}</strong> {status}
          </button>
        );
      })}
    </div>
  );
}
