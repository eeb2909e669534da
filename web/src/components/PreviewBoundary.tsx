import { Component, type ReactNode } from 'react';
import { errorMessage } from '../api/http';

interface PreviewBoundaryProps {
  /** Shown, with the error's message, instead of a preview that failed to load or render. */
  fallback: (message: string) => ReactNode;
  children: ReactNode;
}

/** Keeps a failing 3D preview (its code did not load, three.js threw) from taking the page down. */
export class PreviewBoundary extends Component<PreviewBoundaryProps, { message: string | null }> {
  state = { message: null as string | null };

  static getDerivedStateFromError(err: unknown) {
    return { message: errorMessage(err) };
  }

  render() {
    return this.state.message === null ? this.props.children : this.props.fallback(this.state.message);
  }
}
