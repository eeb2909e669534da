/**
 * "Notify me": browser notifications of new queue entries the operator can make. Turning it on
 * asks the browser's permission (this click is the user gesture browsers require).
 */
import { useState } from 'react';
import { askNotifyPermission, notifyPermission } from '../../lib/useQueueNotifications';

export function NotifyToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const [note, setNote] = useState<string | null>(null);
  const active = on && notifyPermission() === 'granted';

  async function toggle() {
    if (active) {
      onChange(false);
      return;
    }
    const permission = await askNotifyPermission();
    if (permission === 'granted') {
      setNote(null);
      onChange(true);
    } else {
      setNote(
        permission === 'unsupported'
          ? 'This browser cannot show notifications.'
          : 'Notifications are blocked for this site: allow them in the browser’s site settings, then try again.',
      );
    }
  }

  return (
    <div className="notify">
      <button
        type="button"
        className="secondary"
        aria-pressed={active}
        data-testid="notify-toggle"
        data-state={active ? 'on' : 'off'}
        onClick={() => void toggle()}
      >
        {active ? '🔔 Notifications on' : 'Notify me of new orders'}
      </button>
      {note && (
        <p className="warning small" data-testid="notify-note">
          {note}
        </p>
      )}
    </div>
  );
}
