/**
 * The distributed set-up in deploy/ (there is no container engine here to run it): every
 * service in the compose file with its own database, the URLs of the others and the collector;
 * every file it mounts present; Prometheus scraping and the gateway routing every service; the
 * collector receiving what the services send; Alertmanager posting to a route that exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { packageRoot } from '../../src/cli/host.js';
import { SERVICE_NAMES } from '../../src/cli/services.js';
import { SERVICE_PREFIXES, type ServiceName } from '../../src/contracts/order-status.js';

const DEPLOY = join(packageRoot(), 'deploy');
const read = (f: string) => readFileSync(join(DEPLOY, f), 'utf8');

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };

test('every service runs in the compose file with its own database and every other service’s URL', () => {
  const initSql = read('postgres/init.sql');
  for (const name of SERVICE_NAMES) {
    const s = compose.services[name];
    assert.ok(s, `deploy/compose.yaml has no ${name} service`);
    assert.deepEqual(s.command, ['serve', name]);
    const db = `atelier_${name.replace(/-/g, '_')}`;
    assert.match(s.environment?.DATABASE_URL ?? '', new RegExp(`/${db}$`));
    assert.ok(initSql.includes(`CREATE DATABASE ${db};`), `postgres/init.sql creates ${db}`);
    for (const other of SERVICE_NAMES.filter((o) => o !== 'tracker'))
      assert.equal(
        s.environment?.[`${other.toUpperCase().replace(/-/g, '_')}_URL`],
        `http://${other}:4000`,
        `${name} knows where ${other} is`,
      );
    assert.equal(s.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
    assert.ok(s.environment?.AMQP_URL?.startsWith('amqp://'));
  }
});

test('every file the compose file mounts is in the repository', () => {
  for (const [name, s] of Object.entries(compose.services))
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0] ?? '';
      if (source.startsWith('./')) assert.ok(existsSync(join(DEPLOY, source)), `${name} mounts ${source}`);
    }
});

test('Prometheus scrapes, the gateway routes and the collector receives every service', () => {
  const prometheus = read('prometheus/prometheus.yml');
  const gateway = read('gateway/Caddyfile');
  for (const name of SERVICE_NAMES) {
    assert.ok(prometheus.includes(`'${name}:4000'`), `prometheus.yml scrapes ${name}`);
    if (name !== 'shop')
      assert.match(
        gateway,
        new RegExp(`handle ${SERVICE_PREFIXES[name as ServiceName]}/\\* \\{\\s+reverse_proxy ${name}:4000`),
      );
  }
  const collector = parse(read('otel-collector/config.yaml')) as {
    receivers: { otlp: { protocols: { http: { endpoint: string } } } };
    service: { pipelines: Record<string, { receivers: string[] }> };
  };
  assert.equal(collector.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
  assert.ok(collector.service.pipelines.traces?.receivers.includes('otlp'));
});

test('Alertmanager posts to the tracker’s webhook, with the administrator token', () => {
  const am = parse(read('alertmanager/alertmanager.yml')) as {
    receivers: {
      webhook_configs: { url: string; http_config: { authorization: { credentials_file: string } } }[];
    }[];
  };
  const hook = am.receivers[0]?.webhook_configs[0];
  assert.equal(hook?.url, `http://tracker:4000${SERVICE_PREFIXES.tracker}/alerts`);
  const tokenFile = hook?.http_config.authorization.credentials_file.replace(
    '/etc/alertmanager/',
    'alertmanager/',
  );
  assert.equal(
    read(tokenFile ?? '').trim(),
    compose.services.tracker?.environment?.ADMIN_TOKEN?.replace(/^\$\{ATELIER_ADMIN_TOKEN:-(.*)\}$/, '$1'),
  );
});

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec: {
        containers: {
          args?: string[];
          readinessProbe?: { httpGet?: { path: string } };
          envFrom?: unknown[];
        }[];
      };
    };
  };
}

test('the Kubernetes manifests: every service deployed and probed, every generated ConfigMap from a file that exists', () => {
  const kustomization = parse(read('kustomization.yaml')) as {
    resources: string[];
    configMapGenerator: { name: string; files: string[] }[];
  };
  const objects = kustomization.resources.flatMap((r) =>
    read(r)
      .split(/^---$/m)
      .map((doc) => parse(doc) as K8sObject | null)
      .filter((o): o is K8sObject => o !== null),
  );
  for (const g of kustomization.configMapGenerator)
    for (const f of g.files) {
      const source = f.includes('=') ? (f.split('=')[1] as string) : f;
      assert.ok(existsSync(join(DEPLOY, source)), `ConfigMap ${g.name} is made from ${source}`);
    }
  const generated = new Set(kustomization.configMapGenerator.map((g) => g.name));
  for (const name of SERVICE_NAMES) {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    assert.ok(deployment, `k8s/atelier.yaml deploys ${name}`);
    const pod = deployment.spec?.template;
    const container = pod?.spec.containers[0];
    assert.deepEqual(container?.args, ['serve', name]);
    assert.equal(container?.readinessProbe?.httpGet?.path, `${SERVICE_PREFIXES[name as ServiceName]}/health`);
    assert.equal(pod?.metadata?.annotations?.['prometheus.io/scrape'], 'true');
    assert.ok(
      objects.some((o) => o.kind === 'Service' && o.metadata.name === name),
      `a Service for ${name}`,
    );
  }
  const env = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'atelier-env')?.data ?? {};
  for (const other of SERVICE_NAMES.filter((o) => o !== 'tracker'))
    assert.equal(env[`${other.toUpperCase().replace(/-/g, '_')}_URL`], `http://${other}:4000`);
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
  // Every ConfigMap a pod mounts is generated by the kustomization or defined in the manifests.
  const mounted = [read('k8s/observability.yaml'), read('k8s/datastores.yaml')].flatMap(
    (text) => text.match(/configMap: \{ name: ([a-z-]+) \}/g) ?? [],
  );
  assert.ok(mounted.length >= 6);
  for (const m of mounted) {
    const name = m.replace(/configMap: \{ name: ([a-z-]+) \}/, '$1');
    assert.ok(generated.has(name), `ConfigMap ${name} is generated`);
  }
});
