/**
 * The shipped Prometheus alert rules and Grafana dashboards: rules valid and unit-tested with
 * `promtool test rules` (each alert fires on the series it is about and stays quiet on the
 * others), every dashboard query valid PromQL, and both built only from metrics the platform
 * actually exports.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/cli/host.js';
import { exportedMetricNames, metricNamesIn } from '../support/metric-names.js';

const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const DIR = `${packageRoot()}/deploy/prometheus`;
const DASHBOARDS = `${packageRoot()}/deploy/grafana/dashboards`;

function promtool(...args: string[]): string {
  return promtoolIn(DIR, ...args);
}

function promtoolIn(cwd: string, ...args: string[]): string {
  assert.ok(
    existsSync(PROMTOOL),
    `promtool not found at ${PROMTOOL}: npm test installs Debian's prometheus package (scripts/ensure-debian-tools.mjs)`,
  );
  return execFileSync(PROMTOOL, args, { cwd, encoding: 'utf8' });
}

test('the alert rules are valid', () => {
  assert.match(promtool('check', 'rules', 'alerts.yml'), /SUCCESS: \d+ rules found/);
});

test('promtool test rules: every alert fires on its case and not on the others', () => {
  assert.match(promtool('test', 'rules', 'alerts.test.yml'), /SUCCESS/);
});

test('every metric the rules use is exported by the platform', async () => {
  const used = metricNamesIn(readFileSync(`${DIR}/alerts.yml`, 'utf8'));
  assert.ok(used.size >= 8, `rules use ${[...used].join(', ')}`);
  const exported = await exportedMetricNames();
  assert.deepEqual(
    [...used].filter((m) => !exported.has(m)),
    [],
    'metrics used by alerts.yml but exported by no service',
  );
});

interface Dashboard {
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
}

function dashboards(): Dashboard[] {
  return readdirSync(DASHBOARDS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard);
}

test('the dashboards cover API health, the order pipeline, messaging and partners, in valid PromQL', () => {
  const all = dashboards();
  assert.deepEqual(all.map((d) => d.title).sort(), [
    'Atelier · API health',
    'Atelier · Messaging',
    'Atelier · Order pipeline',
    'Atelier · Partners',
  ]);
  // promtool parses PromQL in rule files: every panel query becomes a recording rule to check.
  const exprs = all.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr)));
  const rules = {
    groups: [
      { name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `dashboard:query:${i}`, expr })) },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'atelier-dashboards-'));
  try {
    writeFileSync(join(dir, 'queries.yml'), JSON.stringify(rules)); // JSON is YAML
    assert.match(
      promtoolIn(dir, 'check', 'rules', 'queries.yml'),
      new RegExp(`SUCCESS: ${exprs.length} rules found`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every metric a dashboard panel uses is exported by the platform', async () => {
  const exported = await exportedMetricNames();
  const missing = dashboards().flatMap((d) =>
    d.panels.flatMap((p) =>
      p.targets.flatMap((t) =>
        [...metricNamesIn(t.expr)]
          .filter((m) => !exported.has(m))
          .map((m) => `${d.title} / ${p.title}: ${m}`),
      ),
    ),
  );
  assert.deepEqual(missing, []);
});
