import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoApprovalRule, type ApprovalRules } from '../../src/crm/domain/approval.js';

const RULES: ApprovalRules = {
  autoApproveCatalog: true,
  autoApproveCustomBelowMinor: 150000,
  currency: 'EUR',
};

test('catalog orders are auto-approved when the rule is on, whatever the price', () => {
  assert.equal(
    autoApprovalRule(RULES, { kind: 'catalog', priceMinor: 129900, currency: 'EUR' }),
    'catalog-piece',
  );
  assert.equal(
    autoApprovalRule(RULES, { kind: 'catalog', priceMinor: 9_999_999, currency: 'EUR' }),
    'catalog-piece',
  );
});

test('catalog orders wait for a seller when the rule is off, even when cheap', () => {
  const rules = { ...RULES, autoApproveCatalog: false };
  assert.equal(autoApprovalRule(rules, { kind: 'catalog', priceMinor: 100, currency: 'EUR' }), null);
  assert.equal(autoApprovalRule(rules, { kind: 'catalog', priceMinor: 0, currency: 'EUR' }), null);
});

test('custom orders strictly below the limit are auto-approved', () => {
  assert.equal(
    autoApprovalRule(RULES, { kind: 'custom', priceMinor: 149999, currency: 'EUR' }),
    'custom-below-limit',
  );
  assert.equal(
    autoApprovalRule(RULES, { kind: 'custom', priceMinor: 1, currency: 'EUR' }),
    'custom-below-limit',
  );
  assert.equal(
    autoApprovalRule(RULES, { kind: 'custom', priceMinor: 0, currency: 'EUR' }),
    'custom-below-limit',
  );
});

test('custom orders at or above the limit wait for a seller', () => {
  assert.equal(autoApprovalRule(RULES, { kind: 'custom', priceMinor: 150000, currency: 'EUR' }), null);
  assert.equal(autoApprovalRule(RULES, { kind: 'custom', priceMinor: 150001, currency: 'EUR' }), null);
});

test('a limit of 0 disables custom auto-approval', () => {
  const rules = { ...RULES, autoApproveCustomBelowMinor: 0 };
  assert.equal(autoApprovalRule(rules, { kind: 'custom', priceMinor: 0, currency: 'EUR' }), null);
  assert.equal(autoApprovalRule(rules, { kind: 'custom', priceMinor: 1, currency: 'EUR' }), null);
  // Catalog auto-approval is independent of the custom limit.
  assert.equal(autoApprovalRule(rules, { kind: 'catalog', priceMinor: 1, currency: 'EUR' }), 'catalog-piece');
});

test('custom orders priced in another currency wait for a seller', () => {
  assert.equal(autoApprovalRule(RULES, { kind: 'custom', priceMinor: 100, currency: 'USD' }), null);
  assert.equal(autoApprovalRule(RULES, { kind: 'custom', priceMinor: 100, currency: 'eur' }), null);
});

test('the catalog rule does not approve custom orders', () => {
  const rules = { ...RULES, autoApproveCustomBelowMinor: 0 };
  assert.equal(autoApprovalRule(rules, { kind: 'custom', priceMinor: 100, currency: 'EUR' }), null);
  const noCatalog = { ...RULES, autoApproveCatalog: false };
  assert.equal(
    autoApprovalRule(noCatalog, { kind: 'custom', priceMinor: 100, currency: 'EUR' }),
    'custom-below-limit',
  );
});
