interface ProgressBarProps {
  label: string;
  /** 0–100. */
  percent: number;
  /** The `<progress>`; the percentage text is `<testId>-percent`. */
  testId: string;
  /** What is being done now, e.g. "Analysing the mesh…". */
  detail?: string | undefined;
  /** Extra attributes for tests, e.g. `{ 'data-stage': 'validate' }`. */
  data?: Record<`data-${string}`, string>;
}

/** A labelled progress bar with its percentage (`data-complete="true"` at 100). */
export function ProgressBar({ label, percent, testId, detail, data }: ProgressBarProps) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="progress-row">
      <span className="progress-label">{label}</span>
      <progress
        data-testid={testId}
        data-complete={String(value === 100)}
        {...data}
        max={100}
        value={value}
        aria-label={label}
      >
        {value}%
      </progress>
      <span className="progress-percent" data-testid={`${testId}-percent`}>
        {value}%
      </span>
      {detail && <span className="muted small progress-detail">{detail}</span>}
    </div>
  );
}
