/** The "Details" button that opens or closes an order's card below its row. */
export function DetailsToggle({
  number,
  open,
  onToggle,
  prefix = 'details',
}: {
  number: string;
  open: boolean;
  onToggle: () => void;
  /** The test id is `<prefix>-<number>`. */
  prefix?: string;
}) {
  return (
    <button
      type="button"
      className="secondary"
      data-testid={`${prefix}-${number}`}
      aria-expanded={open}
      onClick={(event) => {
        event.stopPropagation();
        onToggle();
      }}
    >
      {open ? 'Hide details' : 'Details'}
    </button>
  );
}
