import type { Customer } from '../../api/types';

/** Why the customer cannot order yet, or null when name and e-mail look fine. */
export function customerProblem(customer: Customer): string | null {
  if (!customer.name) return 'Please enter your name first.';
  if (!/^[^\s@]+@[^\s@]+$/.test(customer.email)) return 'Please enter a valid e-mail address first.';
  return null;
}
