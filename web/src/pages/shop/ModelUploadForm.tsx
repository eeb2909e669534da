/** Choose a model file and its units, then upload it for analysis. */
import { useState, type FormEvent } from 'react';
import type { Units } from '../../api/types';
import { isUnits, UNITS } from '../../lib/units';

interface ModelUploadFormProps {
  busy: boolean;
  onUpload: (file: File, units: Units) => void;
  onProblem: (message: string) => void;
}

export function ModelUploadForm({ busy, onUpload, onProblem }: ModelUploadFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [units, setUnits] = useState<Units>('mm');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) onProblem('Please choose a model file (.stl or .obj).');
    else onUpload(file, units);
  }

  return (
    <form className="form-grid" onSubmit={onSubmit} data-testid="piece-form">
      <div className="field">
        <label htmlFor="piece-file">3D model (STL or OBJ)</label>
        <input
          id="piece-file"
          data-testid="piece-file"
          type="file"
          accept=".stl,.obj,model/stl,model/obj,application/sla"
          disabled={busy}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <div className="field">
        <label htmlFor="piece-units">The model's units</label>
        <select
          id="piece-units"
          data-testid="piece-units"
          value={units}
          disabled={busy}
          onChange={(event) => {
            if (isUnits(event.target.value)) setUnits(event.target.value);
          }}
        >
          {UNITS.map((u) => (
            <option key={u.id} value={u.id}>
              {u.label} ({u.id})
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" data-testid="piece-analyse" disabled={busy}>
          {busy ? 'Working…' : 'Upload and analyse'}
        </button>
      </div>
    </form>
  );
}
