/** ModelPreview with three.js loaded on first use, the figures shown meanwhile, and failures contained. */
import { lazy, Suspense, type ReactNode } from 'react';
import { ModelFiguresList } from './ModelFiguresList';
import type { ModelPreviewProps } from './ModelPreview';
import { PreviewBoundary } from './PreviewBoundary';

const ModelPreview = lazy(() => import('./ModelPreview'));

function Placeholder({ props, note }: { props: ModelPreviewProps; note: ReactNode }) {
  return (
    <div className="model-preview" data-testid="model-preview" data-state="loading" data-ready="false">
      <div className="model-canvas" data-testid="model-canvas">
        {note}
      </div>
      <ModelFiguresList figures={props.figures ?? {}} alloy={props.alloy} />
    </div>
  );
}

export function LazyModelPreview(props: ModelPreviewProps) {
  return (
    <PreviewBoundary
      fallback={(message) => (
        <Placeholder
          props={props}
          note={
            <p className="model-canvas-note error" role="alert" data-testid="model-preview-error">
              The 3D preview is unavailable: {message}
            </p>
          }
        />
      )}
    >
      <Suspense
        fallback={
          <Placeholder
            props={props}
            note={<p className="model-canvas-note muted">Loading the 3D viewer…</p>}
          />
        }
      >
        <ModelPreview {...props} />
      </Suspense>
    </PreviewBoundary>
  );
}
