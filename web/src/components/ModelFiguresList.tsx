import {
  formatCount,
  formatDimensions,
  formatGrams,
  formatVolume,
  metalGrams,
  type AlloyDensity,
  type ModelFigures,
} from '../lib/figures';

interface ModelFiguresListProps {
  figures: ModelFigures;
  /** The alloy the weight is for; without one (and without a known weight) the weight is not shown. */
  alloy?: AlloyDensity | undefined;
}

/** Dimensions, volume, metal weight and triangle count; each value also as a raw `data-` number. */
export function ModelFiguresList({ figures, alloy }: ModelFiguresListProps) {
  const { dimensionsMm, volumeMm3, triangleCount } = figures;
  const grams =
    figures.metalGrams ??
    (volumeMm3 !== undefined && alloy?.densityGPerCm3 !== undefined
      ? metalGrams(volumeMm3, alloy.densityGPerCm3)
      : undefined);
  return (
    <dl className="figures" data-testid="model-figures">
      <dt>Dimensions</dt>
      <dd data-testid="model-dimensions" data-mm={dimensionsMm?.join(',')}>
        {dimensionsMm ? formatDimensions(dimensionsMm) : '—'}
      </dd>
      <dt>Volume</dt>
      <dd data-testid="model-volume" data-mm3={volumeMm3}>
        {volumeMm3 !== undefined ? formatVolume(volumeMm3) : '—'}
      </dd>
      <dt>Metal weight{alloy ? ` (${alloy.name})` : ''}</dt>
      <dd data-testid="model-weight" data-grams={grams}>
        {grams !== undefined ? formatGrams(grams) : 'choose an alloy'}
      </dd>
      <dt>Triangles</dt>
      <dd data-testid="model-triangles" data-count={triangleCount}>
        {triangleCount !== undefined ? formatCount(triangleCount) : '—'}
      </dd>
    </dl>
  );
}
