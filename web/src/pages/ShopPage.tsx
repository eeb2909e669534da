/**
 * Customer shop: contact details, catalog, custom piece (upload, preview, quote, order), the older
 * direct custom order and the customer's orders.
 */
import { TextField } from '../components/TextField';
import { STORAGE_KEYS, useStoredState } from '../lib/storage';
import { CatalogSection } from './shop/CatalogSection';
import { CustomOrderForm } from './shop/CustomOrderForm';
import { CustomPieceSection } from './shop/CustomPieceSection';
import { MyOrders } from './shop/MyOrders';

export function ShopPage() {
  const [name, setName] = useStoredState(STORAGE_KEYS.customerName);
  const [email, setEmail] = useStoredState(STORAGE_KEYS.customerEmail);
  const customer = { name: name.trim(), email: email.trim() };

  return (
    <>
      <section className="panel">
        <h2>Your details</h2>
        <div className="form-grid">
          <TextField
            label="Name"
            value={name}
            onChange={setName}
            testId="customer-name"
            autoComplete="name"
          />
          <TextField
            label="E-mail"
            type="email"
            value={email}
            onChange={setEmail}
            testId="customer-email"
            autoComplete="email"
          />
        </div>
      </section>
      <CatalogSection customer={customer} />
      <CustomPieceSection customer={customer} />
      <CustomOrderForm customer={customer} />
      <MyOrders email={customer.email} />
    </>
  );
}
