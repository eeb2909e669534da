import type { Order } from '../../api/types';
import { OrderCard } from './OrderCard';

/** A table row spanning all columns with the order's card. */
export function OrderCardRow({ order, columns }: { order: Order; columns: number }) {
  return (
    <tr className="card-row">
      <td colSpan={columns}>
        <OrderCard listed={order} />
      </td>
    </tr>
  );
}
