/** Who is working: one of the registered operators (remembered), with their skills and load. */
import { useId } from 'react';
import type { Operator } from '../../api/types';
import { SkillList } from './cells';

interface OperatorPickerProps {
  operators: readonly Operator[] | undefined;
  operatorId: string;
  onPick: (id: string) => void;
}

export function OperatorPicker({ operators, operatorId, onPick }: OperatorPickerProps) {
  const id = useId();
  const me = operators?.find((o) => o.id === operatorId);
  const active = operators?.filter((o) => o.active) ?? [];
  return (
    <div className="operator-picker">
      <div className="field">
        <label htmlFor={id}>I am</label>
        <select
          id={id}
          value={me?.active ? me.id : ''}
          disabled={!operators}
          data-testid="operator-select"
          onChange={(event) => onPick(event.target.value)}
        >
          <option value="">{operators ? 'Choose who you are…' : 'Loading the operators…'}</option>
          {active.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({o.id})
            </option>
          ))}
        </select>
      </div>
      {operators && operatorId && !me?.active && (
        <p className="warning small" data-testid="operator-unknown">
          “{operatorId}” is not an active registered operator: choose one, or ask an administrator to add you.
        </p>
      )}
      {me?.active && (
        <p className="small" data-testid="operator-summary" data-operator-id={me.id}>
          <SkillList skills={me.skills} /> ·{' '}
          <span data-testid="operator-load" data-on-hand={me.numbers.onHand} data-capacity={me.capacity}>
            {me.numbers.onHand} of {me.capacity} orders on hand
          </span>{' '}
          · {me.numbers.completed} completed
        </p>
      )}
    </div>
  );
}
