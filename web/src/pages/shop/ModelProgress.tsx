/** The upload bar and the calculation bar, the latter driven by the server's progress events. */
import { ProgressBar } from '../../components/ProgressBar';
import type { Calculation, UploadPhase } from '../../lib/useModelUpload';

const STAGE_TEXT: Record<NonNullable<Calculation['stage']>, string> = {
  parse: 'Reading the mesh…',
  analyse: 'Measuring volume and size…',
  validate: 'Checking the mesh…',
  price: 'Pricing…',
  done: 'Done',
  failed: 'Failed',
};

interface ModelProgressProps {
  phase: UploadPhase;
  uploadPercent: number;
  calculation: Calculation;
}

function calculationText(phase: UploadPhase, calculation: Calculation): string {
  if (calculation.stage === 'failed') return calculation.message ?? STAGE_TEXT.failed;
  if (phase === 'done') return STAGE_TEXT.done;
  if (calculation.stage) return STAGE_TEXT[calculation.stage];
  return phase === 'uploading' ? 'Waiting for the upload…' : 'Starting…';
}

export function ModelProgress({ phase, uploadPercent, calculation }: ModelProgressProps) {
  return (
    <div className="progress-list" aria-live="polite">
      <ProgressBar
        label="Upload"
        percent={uploadPercent}
        testId="piece-upload-progress"
        detail={uploadPercent < 100 ? 'Sending the file…' : 'Sent'}
      />
      <ProgressBar
        label="Calculation"
        percent={calculation.percent}
        testId="piece-calc-progress"
        detail={calculationText(phase, calculation)}
        data={{ 'data-stage': calculation.stage ?? 'waiting' }}
      />
    </div>
  );
}
