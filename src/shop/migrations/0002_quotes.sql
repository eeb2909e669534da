-- Orders placed from a pricing quote: the quote's id, once per order.
ALTER TABLE orders ADD COLUMN quote_id uuid UNIQUE;
ALTER TABLE orders ADD COLUMN model_units text;
