/**
 * "Custom piece": upload a model (upload and calculation progress), see it in 3D with its
 * figures and mesh issues, choose alloy, quantity and stones, get a quote, order from it.
 */
import { useState } from 'react';
import { createQuote, getPriceList } from '../../api/pricing';
import { orderFromQuote } from '../../api/shop';
import type { Customer, PriceList, Quote, Units } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LazyModelPreview } from '../../components/LazyModelPreview';
import { navigate, trackHash } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useModelUpload } from '../../lib/useModelUpload';
import { usePolling } from '../../lib/usePolling';
import { customerProblem } from './customer';
import { ModelProgress } from './ModelProgress';
import { ModelUploadForm } from './ModelUploadForm';
import { ModelValidation } from './ModelValidation';
import { QuoteForm, type QuoteChoices } from './QuoteForm';
import { QuoteSummary } from './QuoteSummary';

const QUOTE = 'quote';
const ORDER = 'order';

function quantityProblem(quantityText: string): string | null {
  const quantity = Number(quantityText);
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= 100 ? null : 'Quantity must be 1 to 100.';
}

function stonesProblem(choices: QuoteChoices): string | null {
  const bad = choices.stones.some((s) => !Number.isInteger(s.count) || s.count < 1);
  return bad ? 'Each stone row needs a count of at least 1.' : null;
}

export function CustomPieceSection({ customer }: { customer: Customer }) {
  const priceList = usePolling(getPriceList, { key: 'price-list' });
  const upload = useModelUpload();
  const [uploadProblem, setUploadProblem] = useState<string | null>(null);
  const [choices, setChoices] = useState<QuoteChoices>({ alloy: '', quantityText: '1', stones: [] });
  const [quoted, setQuoted] = useState<{ key: string; quote: Quote } | null>(null);
  const quoteAction = useAction();
  const orderAction = useAction();

  const list: PriceList | undefined = priceList.data;
  const alloyId = choices.alloy || list?.alloys[0]?.id || '';
  const alloy = list?.alloys.find((a) => a.id === alloyId);
  const model = upload.model;
  // A quote belongs to exactly these choices: changing any of them hides it.
  const requestKey = JSON.stringify([model?.id, alloyId, choices.quantityText, choices.stones]);
  const quote = quoted?.key === requestKey ? quoted.quote : null;
  const uploading = upload.phase === 'uploading' || upload.phase === 'calculating';
  const busy = uploading || quoteAction.busy !== null || orderAction.busy !== null;

  function startUpload(file: File, units: Units) {
    setUploadProblem(null);
    setQuoted(null);
    void upload.start(file, units);
  }

  async function getQuote() {
    if (!model) return;
    const problem =
      (!alloyId ? 'Please choose an alloy.' : null) ??
      quantityProblem(choices.quantityText) ??
      stonesProblem(choices);
    if (problem) {
      quoteAction.setError(problem);
      return;
    }
    const key = requestKey;
    const result = await quoteAction.run(QUOTE, () =>
      createQuote({
        modelId: model.id,
        alloy: alloyId,
        quantity: Number(choices.quantityText),
        stones: choices.stones,
      }),
    );
    if (result) setQuoted({ key, quote: result });
  }

  async function order(fromQuote: Quote) {
    const problem = customerProblem(customer);
    if (problem) {
      orderAction.setError(problem);
      return;
    }
    const placed = await orderAction.run(ORDER, () => orderFromQuote({ quoteId: fromQuote.id, customer }));
    if (placed) navigate(trackHash(placed.id));
  }

  return (
    <section className="panel" data-testid="custom-piece">
      <h2>Custom piece</h2>
      <p className="muted">
        Upload your 3D model (STL or OBJ). We measure it, show it to you in 3D and quote it in the alloy and
        with the stones you choose.
      </p>
      <ModelUploadForm busy={busy} onUpload={startUpload} onProblem={setUploadProblem} />
      <ErrorMessage message={uploadProblem ?? upload.error} testId="piece-error" />
      {upload.uploadPercent !== null && upload.calculation && (
        <ModelProgress
          phase={upload.phase}
          uploadPercent={upload.uploadPercent}
          calculation={upload.calculation}
        />
      )}
      {model && upload.bytes && (
        <div className="piece-result" data-testid="piece-result" data-model-id={model.id}>
          <h3>{model.filename}</h3>
          <LazyModelPreview
            key={model.id}
            data={upload.bytes}
            format={model.format}
            units={model.units}
            figures={{
              dimensionsMm: model.analysis.dimensionsMm,
              volumeMm3: model.analysis.volumeMm3,
              triangleCount: model.analysis.triangleCount,
            }}
            alloy={alloy}
          />
          <ModelValidation validation={model.validation} />
          <ErrorMessage message={priceList.error} testId="price-list-error" />
          {list && (
            <QuoteForm
              priceList={list}
              choices={{ ...choices, alloy: alloyId }}
              busy={busy}
              onChange={setChoices}
              onQuote={() => void getQuote()}
            />
          )}
          <ErrorMessage message={quoteAction.error} testId="quote-error" />
          {quote && <QuoteSummary quote={quote} busy={busy} onOrder={() => void order(quote)} />}
          <ErrorMessage message={orderAction.error} testId="order-quote-error" />
        </div>
      )}
    </section>
  );
}
