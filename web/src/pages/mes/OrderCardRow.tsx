import type { WorkspaceOrder } from '../../api/types';
import { OrderCard } from './OrderCard';

/** A table row spanning all columns with the order's card. */
export function OrderCardRow({ order, columns }: { order: WorkspaceOrder; columns: number }) {
  return (
    <tr className="card-row">
      <td colSpan={columns}>
        <OrderCard id={order.id} number={order.number} updatedAt={order.updatedAt} />
      </td>
    </tr>
  );
}
