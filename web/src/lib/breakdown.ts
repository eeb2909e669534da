/**
 * Reads a price breakdown of either shape the services send: the mesh/catalog pricing
 * (`metalMinor`, `labourMinor`, `volumeMm3`) or a quote's (`metal`, `stones`, `labour`, `margin`).
 */
import type { Money, Order, PriceBreakdown } from '../api/types';
import type { ModelFigures } from './figures';

export interface BreakdownLine {
  /** metal, stone, labour or margin: the test id suffix. */
  kind: 'metal' | 'stone' | 'labour' | 'margin';
  label: string;
  amountMinor: number;
}

export interface ReadBreakdown {
  metalGrams: number | undefined;
  lines: BreakdownLine[];
  total: Money | undefined;
}

/** The breakdown of an order, wherever the service put it. */
export function breakdownOf(order: Order): PriceBreakdown | undefined {
  return order.breakdown ?? order.price?.breakdown ?? undefined;
}

export function readBreakdown(b: PriceBreakdown): ReadBreakdown {
  const lines: BreakdownLine[] = [];
  const metalMinor = b.metal?.amountMinor ?? b.metalMinor;
  if (metalMinor !== undefined)
    lines.push({ kind: 'metal', label: b.alloy ? `Metal (${b.alloy})` : 'Metal', amountMinor: metalMinor });
  for (const stone of b.stones ?? []) {
    lines.push({
      kind: 'stone',
      label: `${stone.count} × ${stone.type} ${stone.sizeMm} mm`,
      amountMinor: stone.amountMinor,
    });
  }
  if (!b.stones?.length && b.stonesMinor)
    lines.push({ kind: 'stone', label: 'Stones', amountMinor: b.stonesMinor });
  const labourMinor = b.labour?.amountMinor ?? b.labourMinor;
  if (labourMinor !== undefined) lines.push({ kind: 'labour', label: 'Labour', amountMinor: labourMinor });
  const marginMinor = b.margin?.amountMinor ?? b.marginMinor;
  const marginPercent = b.margin?.percent ?? b.marginPercent;
  if (marginMinor !== undefined) {
    const label = marginPercent !== undefined ? `Margin (${marginPercent}%)` : 'Margin';
    lines.push({ kind: 'margin', label, amountMinor: marginMinor });
  }
  return { metalGrams: b.metal?.grams ?? b.metalGrams, lines, total: b.total };
}

/** The model figures a breakdown carries (its `analysis` or `model`, or the older flat fields). */
export function figuresOf(b: PriceBreakdown | undefined): ModelFigures {
  if (!b) return {};
  const analysis = b.analysis ?? b.model;
  return {
    dimensionsMm: analysis?.dimensionsMm,
    volumeMm3: analysis?.volumeMm3 ?? b.volumeMm3,
    triangleCount: analysis?.triangleCount ?? b.triangles,
    metalGrams: b.metalGrams ?? b.metal?.grams,
  };
}
