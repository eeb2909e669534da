/**
 * Single-key shortcuts on the whole page (j, k, c, /, ?…), ignored while the person types into a
 * field or holds Ctrl, Alt or Meta, so they never steal a letter or a browser shortcut.
 */
import { useEffect, useRef } from 'react';

export type ShortcutMap = Readonly<Record<string, () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // Checkboxes and buttons take no text: a shortcut still works while one has the focus.
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/** `shortcuts` maps `KeyboardEvent.key` values ("j", "?", "Escape", "ArrowDown") to actions. */
export function useShortcuts(shortcuts: ShortcutMap, enabled = true): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== 'Escape' && isTyping(event.target)) return;
      const action = latest.current[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
