/**
 * "Order without a quote", the older custom flow: create the order, upload the STL with a progress
 * bar, submit, then track; the price is calculated after ordering.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/http';
import { createCustomOrder, getAlloys, submitOrder, uploadModel } from '../../api/shop';
import type { Customer } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { navigate, trackHash } from '../../lib/router';
import { usePolling } from '../../lib/usePolling';
import { customerProblem } from './customer';

type Phase = 'idle' | 'creating' | 'uploading' | 'submitting';

const PHASE_TEXT: Record<Phase, string> = {
  idle: '',
  creating: 'Creating the order…',
  uploading: 'Uploading the model…',
  submitting: 'Submitting the order…',
};

export function CustomOrderForm({ customer }: { customer: Customer }) {
  const alloys = usePolling(getAlloys, { key: 'alloys' });
  const [chosenAlloy, setAlloy] = useState('');
  const [quantityText, setQuantityText] = useState('1');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alloy = chosenAlloy || alloys.data?.[0]?.id || '';
  const quantity = Number(quantityText);

  async function placeOrder(model: File) {
    setPhase('creating');
    const order = await createCustomOrder({ alloy, quantity, customer });
    setPhase('uploading');
    setPercent(0);
    await uploadModel(order.id, model, (fraction) => setPercent(Math.round(fraction * 100)));
    setPhase('submitting');
    await submitOrder(order.id);
    navigate(trackHash(order.id));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPercent(null);
    const problem =
      customerProblem(customer) ??
      (!alloy ? 'Please choose an alloy.' : null) ??
      (!file ? 'Please choose an STL file.' : null) ??
      (!Number.isInteger(quantity) || quantity < 1 || quantity > 100 ? 'Quantity must be 1 to 100.' : null);
    if (problem || !file) {
      setError(problem);
      return;
    }
    try {
      await placeOrder(file);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPhase('idle');
    }
  }

  const busy = phase !== 'idle';
  return (
    <section className="panel">
      <h2>Custom piece without a quote</h2>
      <p className="muted">
        Already sure? Upload an STL and order at once: we price it by its volume in the alloy you choose after
        the order is placed, and a seller confirms it.
      </p>
      <form className="form-grid" onSubmit={(event) => void onSubmit(event)} data-testid="custom-form">
        <div className="field">
          <label htmlFor="custom-alloy">Alloy</label>
          <select
            id="custom-alloy"
            data-testid="custom-alloy"
            value={alloy}
            disabled={busy}
            onChange={(event) => setAlloy(event.target.value)}
          >
            {alloys.data?.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="custom-quantity">Quantity</label>
          <input
            id="custom-quantity"
            data-testid="custom-quantity"
            type="number"
            min={1}
            max={100}
            value={quantityText}
            disabled={busy}
            onChange={(event) => setQuantityText(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="custom-file">3D model (STL)</label>
          <input
            id="custom-file"
            data-testid="custom-file"
            type="file"
            accept=".stl,model/stl,application/sla"
            disabled={busy}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <div className="actions">
          <button type="submit" data-testid="custom-submit" disabled={busy}>
            {busy ? 'Working…' : 'Upload and order'}
          </button>
        </div>
      </form>
      <ErrorMessage message={alloys.error} testId="alloys-error" />
      <ErrorMessage message={error} testId="custom-error" />
      {busy && (
        <p className="muted" data-testid="custom-phase" aria-live="polite">
          {PHASE_TEXT[phase]}
        </p>
      )}
      {percent !== null && (
        <div className="upload">
          <progress data-testid="upload-progress" max={100} value={percent} aria-label="Upload progress">
            {percent}%
          </progress>
          <span data-testid="upload-percent">{percent}%</span>
        </div>
      )}
    </section>
  );
}
