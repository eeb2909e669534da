/**
 * The workspace's filters. Search, channel and "overdue" narrow every list; status, scope and
 * sort choose the "All orders" list. They live in the hash query, so a reload keeps them.
 */
import { useEffect, useId, useState, type RefObject } from 'react';
import type { OrderStatus } from '../../api/types';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { MES_STATUSES, type Scope, type Sort, type UrlFilter } from '../../lib/workspaceFilter';

interface FiltersPanelProps {
  filter: UrlFilter;
  onChange: (filter: UrlFilter) => void;
  searchRef: RefObject<HTMLInputElement | null>;
}

export function FiltersPanel({ filter, onChange, searchRef }: FiltersPanelProps) {
  const id = useId();
  const [text, setText] = useState(filter.q ?? '');
  const typed = useDebouncedValue(text.trim(), 300);
  // The search is sent once the typing pauses. Only the typed text triggers this (the other
  // filters are read as they are then), so changing a select never re-sends an old search.
  useEffect(() => {
    if (typed !== (filter.q ?? '')) onChange({ ...filter, q: typed || undefined });
  }, [typed]);
  const set = (patch: Partial<UrlFilter>) => onChange({ ...filter, ...patch });

  return (
    <div className="filters" data-testid="mes-filters">
      <div className="field">
        <label htmlFor={`${id}-q`}>Search (press /)</label>
        <input
          id={`${id}-q`}
          ref={searchRef}
          type="search"
          value={text}
          placeholder="Order number or customer"
          maxLength={100}
          data-testid="filter-search"
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-channel`}>Channel</label>
        <select
          id={`${id}-channel`}
          value={filter.channel ?? ''}
          data-testid="filter-channel"
          onChange={(event) => set({ channel: (event.target.value || undefined) as UrlFilter['channel'] })}
        >
          <option value="">Shop and partners</option>
          <option value="b2c">Shop (b2c)</option>
          <option value="b2b">Partners (b2b)</option>
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={filter.overdue ?? false}
          data-testid="filter-overdue"
          onChange={(event) => set({ overdue: event.target.checked || undefined })}
        />
        Overdue only
      </label>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status (All orders)</label>
        <select
          id={`${id}-status`}
          value={filter.status?.[0] ?? ''}
          data-testid="filter-status"
          onChange={(event) =>
            set({ status: event.target.value ? [event.target.value as OrderStatus] : undefined })
          }
        >
          <option value="">Any status</option>
          {MES_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-scope`}>Orders</label>
        <select
          id={`${id}-scope`}
          value={filter.scope ?? 'active'}
          data-testid="filter-scope"
          onChange={(event) => set({ scope: event.target.value as Scope })}
        >
          <option value="active">In work</option>
          <option value="archive">Ended (archive)</option>
          <option value="all">All</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={filter.sort ?? 'newest'}
          data-testid="filter-sort"
          onChange={(event) => set({ sort: event.target.value as Sort })}
        >
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
          <option value="deadline">Deadline first</option>
        </select>
      </div>
      <button
        type="button"
        className="secondary"
        data-testid="filter-clear"
        onClick={() => {
          setText('');
          onChange({});
        }}
      >
        Clear filters
      </button>
    </div>
  );
}
