/**
 * The 3D preview of a model file (three.js): lit, centred, the camera fitted to it, orbitable,
 * with its dimensions, volume and metal weight beside it. Without WebGL it shows the figures and
 * a note. Loaded lazily through LazyModelPreview, which keeps three.js out of the main bundle.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage, getBytes, isAbortError } from '../api/http';
import type { ModelFormatHint, Units } from '../api/types';
import { mergeFigures, type AlloyDensity, type ModelFigures } from '../lib/figures';
import { measureGeometry, parseModel } from '../lib/modelGeometry';
import { showModel, WebGLUnavailableError, type ModelScene } from '../lib/modelScene';
import { mmPerUnit } from '../lib/units';
import { ModelFiguresList } from './ModelFiguresList';

export interface ModelPreviewProps {
  /** The model file's bytes (e.g. the file the person just chose), or… */
  data?: ArrayBuffer | undefined;
  /** …where to download them. */
  url?: string | undefined;
  format?: ModelFormatHint;
  /** The file's units, for figures measured here (default mm). */
  units?: Units | undefined;
  /** Figures already known (the server's analysis, in mm); measured ones only fill the gaps. */
  figures?: ModelFigures | undefined;
  /** The alloy the metal weight is shown for. */
  alloy?: AlloyDensity | undefined;
}

type View =
  | { state: 'loading' }
  | { state: 'ready'; measured: ModelFigures }
  | { state: 'no-webgl'; measured: ModelFigures; note: string }
  | { state: 'error'; message: string };

export function ModelPreview({ data, url, format, units = 'mm', figures, alloy }: ModelPreviewProps) {
  const canvasHost = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ state: 'loading' });

  useEffect(() => {
    const host = canvasHost.current;
    if (!host) return;
    const controller = new AbortController();
    let scene: ModelScene | undefined;
    setView({ state: 'loading' });
    const load = async () => {
      if (!data && !url) throw new Error('There is no model file to show.');
      const bytes = data ?? (await getBytes(url ?? '', controller.signal));
      if (controller.signal.aborted) return;
      const geometry = parseModel(bytes, format);
      const measured = measureGeometry(geometry, mmPerUnit(units));
      try {
        scene = showModel(host, geometry);
        setView({ state: 'ready', measured });
      } catch (err) {
        geometry.dispose();
        const note =
          err instanceof WebGLUnavailableError ? err.message : `The 3D view failed: ${errorMessage(err)}`;
        setView({ state: 'no-webgl', measured, note });
      }
    };
    load().catch((err: unknown) => {
      if (controller.signal.aborted || isAbortError(err)) return;
      setView({ state: 'error', message: `The model cannot be shown: ${errorMessage(err)}` });
    });
    return () => {
      controller.abort();
      scene?.dispose();
    };
  }, [data, url, format, units]);

  const measured = view.state === 'ready' || view.state === 'no-webgl' ? view.measured : null;
  const shown = mergeFigures(figures, measured);
  return (
    <div
      className="model-preview"
      data-testid="model-preview"
      data-state={view.state}
      data-ready={String(view.state === 'ready')}
      data-triangles={measured?.triangleCount}
    >
      <div className="model-canvas" data-testid="model-canvas">
        <div className="model-canvas-host" ref={canvasHost} />
        {view.state === 'loading' && <p className="model-canvas-note muted">Loading the 3D preview…</p>}
        {view.state === 'no-webgl' && (
          <p className="model-canvas-note" role="status" data-testid="model-preview-note">
            {view.note} The figures come from the model file.
          </p>
        )}
        {view.state === 'error' && (
          <p className="model-canvas-note error" role="alert" data-testid="model-preview-error">
            {view.message}
          </p>
        )}
      </div>
      <div>
        <ModelFiguresList figures={shown} alloy={alloy} />
        {view.state === 'ready' && <p className="muted small">Drag to turn the piece, scroll to zoom.</p>}
      </div>
    </div>
  );
}

export default ModelPreview;
