/**
 * Pricing benchmark: prints each section's markdown and writes them all to
 * bench/results/pricing.md. Sections are independent functions returning markdown, run in
 * order; a new one (e.g. the distributed mode) is one more entry in SECTIONS.
 *
 *   npm run build:server && npm run bench:pricing
 */
import { writeFileSync } from 'node:fs';
import { runDistributedPricingBench } from './pricing-distributed.js';
import { runGeometryBench } from './pricing-geometry.js';

const SECTIONS: Array<() => Promise<string>> = [
  ...(process.env.BENCH_PRICING_GEOMETRY === '0' ? [] : [runGeometryBench]),
  ...(process.env.BENCH_PRICING_DISTRIBUTED === '0' ? [] : [runDistributedPricingBench]),
];

async function main(): Promise<void> {
  const parts: string[] = [];
  for (const section of SECTIONS) {
    const markdown = await section();
    console.log(`${markdown}\n`);
    parts.push(markdown);
  }
  writeFileSync(
    new URL('./results/pricing.md', import.meta.url).pathname.replace('/dist/bench/', '/bench/'),
    `${parts.join('\n\n')}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
