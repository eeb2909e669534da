/** Optional stones for a quote: one row per kind (type, size, count), from the price list. */
import type { PriceListStone, StoneChoice } from '../../api/types';

interface StonesEditorProps {
  stones: readonly StoneChoice[];
  catalog: readonly PriceListStone[];
  disabled: boolean;
  onChange: (stones: StoneChoice[]) => void;
}

function sizesOf(catalog: readonly PriceListStone[], type: string) {
  return catalog.find((s) => s.type === type)?.sizes ?? [];
}

export function StonesEditor({ stones, catalog, disabled, onChange }: StonesEditorProps) {
  const first = catalog.find((s) => s.sizes.length > 0);
  const update = (index: number, change: Partial<StoneChoice>) =>
    onChange(stones.map((stone, i) => (i === index ? { ...stone, ...change } : stone)));

  return (
    <fieldset className="stones" data-testid="stones">
      <legend>Stones (optional)</legend>
      {stones.map((stone, index) => (
        <div className="stone-row" key={index} data-testid="stone-row">
          <select
            aria-label="Stone"
            data-testid="stone-type"
            value={stone.type}
            disabled={disabled}
            onChange={(event) =>
              update(index, {
                type: event.target.value,
                sizeMm: sizesOf(catalog, event.target.value)[0]?.sizeMm ?? 0,
              })
            }
          >
            {catalog.map((s) => (
              <option key={s.type} value={s.type}>
                {s.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Size"
            data-testid="stone-size"
            value={String(stone.sizeMm)}
            disabled={disabled}
            onChange={(event) => update(index, { sizeMm: Number(event.target.value) })}
          >
            {sizesOf(catalog, stone.type).map((size) => (
              <option key={size.sizeMm} value={String(size.sizeMm)}>
                {size.sizeMm} mm
              </option>
            ))}
          </select>
          <input
            aria-label="Number of stones"
            data-testid="stone-count"
            type="number"
            min={1}
            max={500}
            value={stone.count}
            disabled={disabled}
            onChange={(event) => update(index, { count: Math.trunc(Number(event.target.value)) })}
          />
          <button
            type="button"
            className="danger"
            data-testid="stone-remove"
            disabled={disabled}
            onClick={() => onChange(stones.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      {first ? (
        <button
          type="button"
          className="secondary"
          data-testid="stone-add"
          disabled={disabled}
          onClick={() =>
            onChange([...stones, { type: first.type, sizeMm: first.sizes[0]!.sizeMm, count: 1 }])
          }
        >
          Add stones
        </button>
      ) : (
        <p className="muted small">No stones are on the price list.</p>
      )}
    </fieldset>
  );
}
