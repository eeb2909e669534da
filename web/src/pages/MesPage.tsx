/**
 * Production floor (`#/mes`): the operator workspace, and the administrator view (`#/mes/admin`)
 * of operators and assignments. Both share one live connection to the MES.
 */
import type { MesView } from '../lib/router';
import { useWorkspaceStream, WorkspaceStreamProvider, type StreamState } from '../lib/workspaceStream';
import { MesAdmin } from './mes-admin/MesAdmin';
import { MesWorkspace } from './mes/MesWorkspace';
import { LiveNotifications } from './ops/LiveNotifications';

const LIVE_LABELS: Readonly<Record<StreamState, string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function LiveIndicator() {
  const { state } = useWorkspaceStream();
  return (
    <span
      className={`live live-${state}`}
      data-testid="mes-live"
      data-state={state}
      role="status"
      title="Changes appear here as they happen"
    >
      {LIVE_LABELS[state]}
    </span>
  );
}

export function MesPage({ view, query }: { view: MesView; query: string }) {
  return (
    <WorkspaceStreamProvider>
      <nav className="tabs" aria-label="Production">
        <a
          href="#/mes"
          data-testid="mes-tab-workspace"
          aria-current={view === 'workspace' ? 'page' : undefined}
        >
          Workspace
        </a>
        <a
          href="#/mes/admin"
          data-testid="mes-tab-admin"
          aria-current={view === 'admin' ? 'page' : undefined}
        >
          Administration
        </a>
        <LiveIndicator />
      </nav>
      {view === 'admin' ? <MesAdmin /> : <MesWorkspace query={query} />}
      {view === 'admin' ? null : <LiveNotifications audience="operator" />}
    </WorkspaceStreamProvider>
  );
}
