/** The auto-approval rule: pure, so it is tested without a database. */
export interface ApprovalRules {
  autoApproveCatalog: boolean;
  /** Custom orders priced strictly below this are approved without a seller; 0 disables. */
  autoApproveCustomBelowMinor: number;
  currency: string;
}

export interface ApprovalInput {
  kind: 'catalog' | 'custom';
  priceMinor: number;
  currency: string;
}

/** The name of the rule that approves the order, or null when a seller must decide. */
export function autoApprovalRule(rules: ApprovalRules, o: ApprovalInput): string | null {
  if (o.kind === 'catalog' && rules.autoApproveCatalog) return 'catalog-piece';
  if (
    o.kind === 'custom' &&
    o.currency === rules.currency &&
    rules.autoApproveCustomBelowMinor > 0 &&
    o.priceMinor < rules.autoApproveCustomBelowMinor
  ) {
    return 'custom-below-limit';
  }
  return null;
}
