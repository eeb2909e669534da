/** The vertical lifecycle of one order: every step, done (with when and by whom) or pending. */
import type { HistoryEntry, OrderKind, OrderStatus } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { lifecycleFor, STATUS_LABELS } from '../lib/status';

interface TimelineProps {
  kind: OrderKind | undefined;
  status: OrderStatus;
  history: readonly HistoryEntry[];
}

/**
 * The furthest lifecycle step reached. A step counts as done when it is in the history or lies
 * before a step that is (a service may learn about a later status before an earlier one).
 */
function reachedIndex(steps: readonly OrderStatus[], status: OrderStatus, history: readonly HistoryEntry[]) {
  const seen = [status, ...history.map((entry) => entry.status)];
  return Math.max(-1, ...seen.map((s) => steps.indexOf(s)));
}

export function Timeline({ kind, status, history }: TimelineProps) {
  const steps = lifecycleFor(kind);
  const reached = reachedIndex(steps, status, history);
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((step, index) => {
        const done = index <= reached;
        const entry = history.findLast((e) => e.status === step);
        const current = step === status;
        return (
          <li
            key={step}
            className={`step${done ? ' done' : ''}${current ? ' current' : ''}`}
            data-status={step}
            data-done={String(done)}
            aria-current={current ? 'step' : undefined}
          >
            <span className="dot" aria-hidden="true" />
            <div>
              <strong>{STATUS_LABELS[step]}</strong> <code>{step}</code>
              <div className="muted small">
                {done ? (entry ? `${formatDateTime(entry.occurredAt)} · ${entry.actor}` : 'Done') : 'Pending'}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
