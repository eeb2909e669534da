/** The list of keyboard shortcuts, opened with "?" or its button. */
export const SHORTCUTS: readonly [string, string][] = [
  ['j / k', 'Select the next / previous order (queue, then my orders)'],
  ['c', 'Take the selected order from the queue'],
  ['a', 'Advance the selected order of mine to its next stage'],
  ['n', 'Take the next order I can make'],
  ['o', 'Open or close the selected order’s details'],
  ['/', 'Search'],
  ['?', 'Show or hide this list'],
  ['Esc', 'Close this list, or the open details'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="shortcuts" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts-help">
      <div className="panel-head">
        <h3>Keyboard shortcuts</h3>
        <button type="button" className="secondary" data-testid="shortcuts-close" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">Shortcuts do nothing while you type in a field.</p>
    </div>
  );
}
