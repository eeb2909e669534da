/** Adds an operator or changes one: name, e-mail, skills, capacity, auto-assign, e-mail notices, active. */
import { useId, useState, type FormEvent } from 'react';
import type { Operator, OperatorInput, Skill } from '../../api/types';

export const SKILLS: readonly Skill[] = ['casting', 'stone_setting', 'engraving', 'polishing'];

interface OperatorFormProps {
  /** The operator to change; none: a new one (then the id is asked for). */
  operator?: Operator;
  busy: boolean;
  onSave: (id: string, input: OperatorInput) => void;
  onCancel: () => void;
}

export function OperatorForm({ operator, busy, onSave, onCancel }: OperatorFormProps) {
  const uid = useId();
  const [id, setId] = useState(operator?.id ?? '');
  const [name, setName] = useState(operator?.name ?? '');
  const [email, setEmail] = useState(operator?.email ?? '');
  const [skills, setSkills] = useState<Skill[]>(operator?.skills ?? ['casting', 'polishing']);
  const [capacity, setCapacity] = useState(String(operator?.capacity ?? 2));
  const [autoAssign, setAutoAssign] = useState(operator?.autoAssign ?? false);
  const [notifyEmail, setNotifyEmail] = useState(operator?.notifyEmail ?? false);
  const [active, setActive] = useState(operator?.active ?? true);

  const toggleSkill = (skill: Skill, on: boolean) =>
    setSkills((current) =>
      on ? SKILLS.filter((s) => s === skill || current.includes(s)) : current.filter((s) => s !== skill),
    );

  function submit(event: FormEvent) {
    event.preventDefault();
    // The server checks every field and answers with what is wrong; nothing is second-guessed here.
    onSave(id.trim(), {
      name: name.trim(),
      email: email.trim() || null,
      skills,
      capacity: Number(capacity),
      autoAssign,
      notifyEmail,
      active,
    });
  }

  const check = (label: string, value: boolean, set: (v: boolean) => void, testId: string) => (
    <label className="check" key={testId}>
      <input type="checkbox" checked={value} data-testid={testId} onChange={(e) => set(e.target.checked)} />
      {label}
    </label>
  );

  return (
    <form className="operator-form" data-testid="operator-form" onSubmit={submit}>
      <div className="form-grid">
        {!operator && (
          <div className="field">
            <label htmlFor={`${uid}-id`}>Id (letters, digits, . _ -)</label>
            <input
              id={`${uid}-id`}
              value={id}
              required
              data-testid="op-form-id"
              onChange={(e) => setId(e.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${uid}-name`}>Name</label>
          <input
            id={`${uid}-name`}
            value={name}
            required
            data-testid="op-form-name"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-email`}>E-mail</label>
          <input
            id={`${uid}-email`}
            type="email"
            value={email}
            data-testid="op-form-email"
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-capacity`}>Capacity (orders on hand)</label>
          <input
            id={`${uid}-capacity`}
            type="number"
            min={1}
            max={100}
            value={capacity}
            data-testid="op-form-capacity"
            onChange={(e) => setCapacity(e.target.value)}
          />
        </div>
      </div>
      <fieldset className="skills-field">
        <legend>Skills</legend>
        {SKILLS.map((skill) =>
          check(
            skill.replace('_', ' '),
            skills.includes(skill),
            (on) => toggleSkill(skill, on),
            `op-form-skill-${skill}`,
          ),
        )}
      </fieldset>
      <div className="inline-form">
        {check('Assign work automatically', autoAssign, setAutoAssign, 'op-form-auto')}
        {check('E-mail new orders they can make', notifyEmail, setNotifyEmail, 'op-form-notify')}
        {check('Active', active, setActive, 'op-form-active')}
      </div>
      <div className="inline-form">
        <button type="submit" disabled={busy} data-testid="op-form-save">
          {busy ? 'Saving…' : operator ? 'Save' : 'Add operator'}
        </button>
        <button type="button" className="secondary" data-testid="op-form-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
