-- Orders placed from a pricing quote: the quote's id, once per order, as in the shop. Orders
-- placed before this migration keep NULL: pricing had bound their quotes long since.
ALTER TABLE orders ADD COLUMN quote_id uuid UNIQUE;
