/**
 * Uploads a model file for analysis: opens the server's progress stream under a fresh id, sends
 * the file with XMLHttpRequest (upload progress), follows the calculation stages from the stream
 * and keeps the file's bytes for the preview (no second download).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import { uploadModel, watchProgress, type ProgressWatch } from '../api/pricing';
import type { ModelInfo, ProgressEvent, ProgressStage, Units } from '../api/types';
import { newUuid } from './uuid';

export type UploadPhase = 'idle' | 'uploading' | 'calculating' | 'done' | 'failed';

export interface Calculation {
  /** The last stage the server reported (null before the first event). */
  stage: ProgressEvent['stage'] | null;
  percent: number;
  /** The server's reason when the stage is `failed`. */
  message?: string;
}

export interface ModelUpload {
  phase: UploadPhase;
  /** 0–100 while and after uploading; null before the first upload. */
  uploadPercent: number | null;
  calculation: Calculation | null;
  model: ModelInfo | null;
  /** The uploaded file's bytes, for the preview. */
  bytes: ArrayBuffer | null;
  error: string | null;
  start: (file: File, units: Units) => Promise<void>;
}

export const STAGES: readonly ProgressStage[] = ['parse', 'analyse', 'validate', 'price'];

/** After the upload's answer, how long the stream may still take to say `done`. */
const STREAM_GRACE_MS = 3000;

/** Each stage is an equal share of the bar; `done`/`total` fill the current share. Never goes back. */
export function advance(previous: Calculation | null, event: ProgressEvent): Calculation {
  const before = previous?.percent ?? 0;
  if (event.stage === 'done') return { stage: 'done', percent: 100 };
  if (event.stage === 'failed') return { stage: 'failed', percent: before, message: event.message };
  const index = Math.max(0, STAGES.indexOf(event.stage));
  const within = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const percent = Math.round(((index + within) / STAGES.length) * 100);
  return { stage: event.stage, percent: Math.max(before, percent) };
}

interface State {
  phase: UploadPhase;
  uploadPercent: number | null;
  calculation: Calculation | null;
  model: ModelInfo | null;
  bytes: ArrayBuffer | null;
  error: string | null;
}

const IDLE: State = {
  phase: 'idle',
  uploadPercent: null,
  calculation: null,
  model: null,
  bytes: null,
  error: null,
};

export function useModelUpload(): ModelUpload {
  const [state, setState] = useState<State>(IDLE);
  /** Bumped by every start and on unmount: answers of an older run are ignored. */
  const run = useRef(0);
  const stream = useRef<ProgressWatch | null>(null);

  useEffect(
    () => () => {
      run.current += 1;
      stream.current?.close();
    },
    [],
  );

  const start = useCallback(async (file: File, units: Units) => {
    const id = ++run.current;
    const current = () => run.current === id;
    stream.current?.close();
    setState({ ...IDLE, phase: 'uploading', uploadPercent: 0, calculation: { stage: null, percent: 0 } });

    const watch = watchProgress(newUuid(), (event) => {
      if (current()) setState((s) => ({ ...s, calculation: advance(s.calculation, event) }));
    });
    stream.current = watch;
    // The stream must be listening before the server starts working, or early stages are lost.
    await watch.opened;
    if (!current()) return;
    try {
      const [model, bytes] = await Promise.all([
        uploadModel(file, { filename: file.name, units, progressId: watch.id }, (fraction) => {
          if (!current()) return;
          const uploadPercent = Math.round(fraction * 100);
          setState((s) => ({ ...s, uploadPercent, phase: fraction >= 1 ? 'calculating' : s.phase }));
        }),
        file.arrayBuffer(),
      ]);
      if (!current()) return;
      // The answer means the server has finished, whatever the stream got through to us.
      setState((s) => ({
        ...s,
        phase: 'done',
        model,
        bytes,
        uploadPercent: 100,
        calculation: { stage: s.calculation?.stage ?? null, percent: 100 },
      }));
      window.setTimeout(watch.close, STREAM_GRACE_MS);
    } catch (err) {
      watch.close();
      if (current()) setState((s) => ({ ...s, phase: 'failed', error: errorMessage(err) }));
    }
  }, []);

  return { ...state, start };
}
