import type { Order } from '../../api/types';

/** The "Details" button that opens or closes an order's card below its row. */
export function DetailsToggle({
  order,
  open,
  onToggle,
}: {
  order: Order;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="secondary"
      data-testid={`details-${order.number}`}
      aria-expanded={open}
      onClick={onToggle}
    >
      {open ? 'Hide details' : 'Details'}
    </button>
  );
}
