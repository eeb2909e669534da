/** The administrator token (ADMIN_TOKEN) as a password field; the caller keeps and remembers it. */
import { useId } from 'react';

export function AdminTokenField({
  value,
  onChange,
  label = 'Administrator token',
  testId = 'admin-token',
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={value}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
