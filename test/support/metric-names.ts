/** Metric names as the platform exports them, and as rules and dashboards use them. */
import { registry } from '../../src/platform/telemetry/metrics.js';
import '../../src/tracker/metrics.js'; // the tracker's metrics join the same registry

/** Every series name /metrics can carry: histograms add _bucket, _sum and _count. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
}

/** The Atelier metric names a PromQL text (rules, dashboard queries) refers to. */
export function metricNamesIn(text: string): Set<string> {
  return new Set(text.match(/\batelier_[a-z0-9_]+/g) ?? []);
}
