/** The README's configuration reference must name every variable the platform reads. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VARIABLES } from '../../src/platform/config.js';

test('README documents every configuration variable', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const missing = Object.keys(VARIABLES).filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, [], `add these to the README's Configuration table: ${missing.join(', ')}`);
});
