import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnit, parseUnit, scaleAnalysis, UNIT_NAMES, UNITS } from '../../src/platform/geometry/units.js';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { cubeMesh, subdividedCubeMesh } from '../../src/platform/geometry/generate.js';
import { near, throwsCode } from './geometry-helpers.js';

test('units: mm by default, cm, m and inches declared by the uploader', () => {
  assert.deepEqual(UNITS, { mm: 1, cm: 10, m: 1000, in: 25.4 });
  assert.deepEqual(UNIT_NAMES, ['mm', 'cm', 'm', 'in']);
  assert.equal(parseUnit(undefined), 'mm');
  assert.equal(parseUnit(''), 'mm');
  assert.equal(parseUnit(' CM '), 'cm');
  assert.equal(parseUnit('in'), 'in');
  assert.ok(isUnit('m') && !isUnit('M') && !isUnit('toString') && !isUnit('ft'));
});

test('an unknown unit is a 400 naming the accepted ones', () => {
  const err = throwsCode(() => parseUnit('furlong'), 'MODEL_UNKNOWN_UNIT', 400);
  assert.equal(
    err.message,
    "The unit 'furlong' is not known; use one of mm, cm, m, in (millimetres when not given).",
  );
  throwsCode(() => parseUnit('constructor'), 'MODEL_UNKNOWN_UNIT', 400);
});

test('scaling: volume ×f³, area ×f², box and dimensions ×f, counts unchanged', () => {
  const a = analyzeMesh(subdividedCubeMesh(2, 3)); // 2 units on a side
  assert.equal(scaleAnalysis(a, 'mm'), a);
  const cm = scaleAnalysis(a, 'cm');
  near(cm.volumeMm3, 8000, 1e-12, 'volume');
  near(cm.signedVolumeMm3, 8000, 1e-12, 'signed volume');
  near(cm.areaMm2, 2400, 1e-12, 'area');
  assert.deepEqual(cm.bbox, { min: [-10, -10, -10], max: [10, 10, 10] });
  assert.deepEqual(cm.dimensions, [20, 20, 20]);
  assert.equal(cm.triangleCount, a.triangleCount);
  const inch = scaleAnalysis(analyzeMesh(cubeMesh(1)), 'in');
  near(inch.volumeMm3, 16387.064, 1e-12, 'one cubic inch');
  near(inch.areaMm2, 6 * 645.16, 1e-12, 'six square inches');
  assert.deepEqual(scaleAnalysis(analyzeMesh(cubeMesh(1)), 'm').dimensions, [1000, 1000, 1000]);
});
