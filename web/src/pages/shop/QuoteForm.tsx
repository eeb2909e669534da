/** Alloy, quantity and stones for the analysed model, and "Get quote". */
import type { FormEvent } from 'react';
import type { PriceList, StoneChoice } from '../../api/types';
import { formatMinor } from '../../lib/money';
import { StonesEditor } from './StonesEditor';

export interface QuoteChoices {
  alloy: string;
  quantityText: string;
  stones: StoneChoice[];
}

interface QuoteFormProps {
  priceList: PriceList;
  choices: QuoteChoices;
  busy: boolean;
  onChange: (choices: QuoteChoices) => void;
  onQuote: () => void;
}

export function QuoteForm({ priceList, choices, busy, onChange, onQuote }: QuoteFormProps) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onQuote();
  }
  return (
    <form className="quote-form" onSubmit={onSubmit} data-testid="quote-form">
      <div className="form-grid">
        <div className="field">
          <label htmlFor="quote-alloy">Alloy</label>
          <select
            id="quote-alloy"
            data-testid="quote-alloy"
            value={choices.alloy}
            disabled={busy}
            onChange={(event) => onChange({ ...choices, alloy: event.target.value })}
          >
            {priceList.alloys.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · {formatMinor(a.pricePerGramMinor, priceList.currency)}/g
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="quote-quantity">Quantity</label>
          <input
            id="quote-quantity"
            data-testid="quote-quantity"
            type="number"
            min={1}
            max={100}
            value={choices.quantityText}
            disabled={busy}
            onChange={(event) => onChange({ ...choices, quantityText: event.target.value })}
          />
        </div>
      </div>
      <StonesEditor
        stones={choices.stones}
        catalog={priceList.stones}
        disabled={busy}
        onChange={(stones) => onChange({ ...choices, stones })}
      />
      <div className="actions">
        <button type="submit" data-testid="quote-button" disabled={busy}>
          {busy ? 'Pricing…' : 'Get quote'}
        </button>
      </div>
    </form>
  );
}
