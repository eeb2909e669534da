import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, VARIABLES, type VarSpec } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { checkSharedDatabaseUrl, openServiceDb } from '../platform/runtime.js';
import { migrateService } from '../platform/service.js';
import { join } from 'node:path';
import { isOrderStatus, LIFECYCLE, type OrderStatus } from '../contracts/order-status.js';
import { onShutdown } from '../platform/lifecycle.js';
import { startCluster } from './cluster.js';
import { startHost } from './host.js';
import { SERVICES, SERVICE_NAMES } from './services.js';
import { runSimulation } from './simulate/run.js';

const USAGE = `atelier <command>

  up                      every service in one process, embedded databases in DATA_DIR, web app at /
  serve <service>         one service in its own process (${SERVICE_NAMES.join(', ')})
  migrate [service...]    apply database migrations (all services by default)
  simulate                drive orders through the public APIs and report what was lost
      --orders N            how many orders (default 100)
      --rate R              orders placed per second (default 20)
      --url URL             base URL of the platform (default http://127.0.0.1:3000)
      --shop-url, --partner-url, --crm-url, --mes-url, --tracker-url   per-service URLs (distributed mode)
      --deadline S          seconds an order may take to reach CLOSED after it is placed (default 120)
      --operators K         simulated operators (default 4)
      --partner-key KEY     partner API key (default DEMO_PARTNER_KEY)
      --custom-share F      share of custom (STL) orders among the shop's, 0..1 (default 0.3)
      --partner-share F     share of partner orders, 0..1 (default 0.3)
      --target STATUS       the status that counts as done (default CLOSED; e.g. MANUFACTURING_APPROVED
                            measures intake to approval without operators); only the people that
                            status needs are played, and operators advance orders no further
      --quiet               no progress bar
      --faults              fault drill: stage deadlines cut to --fault-deadline S (default 20), the MES
                            drops approvals and the CRM fails prices from a third of the orders on
                            (until 10 s after the last); the summary says whether every unfinished
                            order has an incident
                            (waiting up to --fault-wait S, default 120); deadlines are restored after
  cluster                 the distributed mode on this machine: every service instance its own
                          process, a PostgreSQL database per service, RabbitMQ between them
      --instances LIST      e.g. shop=2,mes=2 (default one of each)
      --pg URL              PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
      --amqp URL            RabbitMQ (default AMQP_URL or amqp://guest:guest@127.0.0.1:5672)
      --db-prefix P         databases are P_shop, P_crm, ... (default atelier)
      --base-port N         first port; each instance takes the next (default 4000)
  config                  list every configuration variable

Options for up/serve: --port P (overrides PORT), --data-dir D (overrides DATA_DIR).`;

function parseTarget(value: string | undefined): OrderStatus | undefined {
  if (value === undefined) return undefined;
  if (!isOrderStatus(value) || !LIFECYCLE.includes(value)) {
    throw new Error(`--target must be a lifecycle status: ${LIFECYCLE.join(', ')} (got "${value}")`);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      orders: { type: 'string' },
      rate: { type: 'string' },
      url: { type: 'string' },
      'shop-url': { type: 'string' },
      'partner-url': { type: 'string' },
      'crm-url': { type: 'string' },
      'mes-url': { type: 'string' },
      deadline: { type: 'string' },
      operators: { type: 'string' },
      'partner-key': { type: 'string' },
      'custom-share': { type: 'string' },
      'partner-share': { type: 'string' },
      faults: { type: 'boolean' },
      'fault-deadline': { type: 'string' },
      'fault-wait': { type: 'string' },
      'tracker-url': { type: 'string' },
      target: { type: 'string' },
      quiet: { type: 'boolean' },
      instances: { type: 'string' },
      pg: { type: 'string' },
      amqp: { type: 'string' },
      'db-prefix': { type: 'string' },
      'base-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (values.port) process.env.PORT = values.port;
  if (values['data-dir']) process.env.DATA_DIR = values['data-dir'];
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);

  switch (command) {
    case 'up': {
      const host = await startHost({
        defs: Object.values(SERVICES),
        config,
        logger,
        mode: 'embedded',
        web: true,
        seed: true,
        handleSignals: true,
      });
      console.log(
        [
          '',
          `Atelier is running (embedded mode, data in ${config.DATA_DIR})`,
          `  Shop (customers)   ${host.url}/#/`,
          `  Seller (CRM)       ${host.url}/#/crm`,
          `  Operator (MES)     ${host.url}/#/mes`,
          ...SERVICE_NAMES.map(
            (n) => `  ${(n + ' API').padEnd(18)} ${host.url}${SERVICES[n]?.prefix}/openapi.json`,
          ),
          `  Demo partner key   ${config.DEMO_PARTNER_KEY}`,
          'Ctrl-C stops it; data survives restarts.',
          '',
        ].join('\n'),
      );
      return new Promise(() => undefined);
    }
    case 'serve': {
      const name = rest[0];
      const def = name ? SERVICES[name] : undefined;
      if (!def) {
        console.error(
          `atelier serve needs a service name: one of ${SERVICE_NAMES.join(', ')}${name ? ` (got "${name}")` : ''}.`,
        );
        return 2;
      }
      const host = await startHost({
        defs: [def],
        config,
        logger: logger.child({ service: def.name }),
        mode: 'distributed',
        // The customer-facing service also serves the web app (its pages call every API by
        // prefix, so they need one address in front: deploy/gateway/Caddyfile).
        web: def.name === 'shop',
        handleSignals: true,
      });
      logger.info({ url: `${host.url}${def.prefix}` }, `${def.name} listening`);
      return new Promise(() => undefined);
    }
    case 'migrate': {
      const names = [...new Set(rest.length > 0 ? rest : SERVICE_NAMES)];
      const unknown = names.find((n) => !SERVICES[n]);
      if (unknown) {
        console.error(`Unknown service "${unknown}": one of ${SERVICE_NAMES.join(', ')}.`);
        return 2;
      }
      checkSharedDatabaseUrl(names);
      for (const n of names) {
        const def = SERVICES[n];
        if (!def) return 2; // checked above
        const db = await openServiceDb(n, config, 'embedded');
        const applied = await migrateService(def, db);
        console.log(`${n}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
        await db.close();
      }
      return 0;
    }
    case 'simulate': {
      const summary = await runSimulation({
        orders: Number(values.orders ?? 100),
        rate: Number(values.rate ?? 20),
        baseUrl: values.url ?? 'http://127.0.0.1:3000',
        urls: {
          shop: values['shop-url'],
          partner: values['partner-url'],
          crm: values['crm-url'],
          mes: values['mes-url'],
          tracker: values['tracker-url'],
        },
        deadlineSeconds: Number(values.deadline ?? 120),
        operators: Number(values.operators ?? 4),
        partnerKey: values['partner-key'] ?? config.DEMO_PARTNER_KEY,
        carrierToken: config.CARRIER_TOKEN,
        adminToken: config.ADMIN_TOKEN,
        customShare: Number(values['custom-share'] ?? 0.3),
        partnerShare: Number(values['partner-share'] ?? 0.3),
        target: parseTarget(values.target),
        progress: !values.quiet,
        ...(values.faults
          ? {
              faults: {
                deadlineSeconds: Number(values['fault-deadline'] ?? 20),
                explainWaitSeconds: Number(values['fault-wait'] ?? 120),
              },
            }
          : {}),
      });
      console.log(JSON.stringify(summary, null, 2));
      // In a fault drill orders are lost on purpose: what must hold is that each is explained.
      if (summary.faultDrill) return summary.faultDrill.unexplained === 0 && summary.duplicates === 0 ? 0 : 1;
      return summary.lost === 0 && summary.duplicates === 0 ? 0 : 1;
    }
    case 'cluster': {
      const instances = Object.fromEntries(
        (values.instances ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const [svc, n] = pair.split('=');
            if (!svc || !SERVICES[svc] || !/^\d+$/.test(n ?? '')) {
              throw new Error(`--instances takes service=count pairs such as shop=2,mes=2 (got "${pair}")`);
            }
            return [svc, Number(n)];
          }),
      );
      const cluster = await startCluster({
        pgUrl: values.pg ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        amqpUrl: values.amqp ?? config.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
        dbPrefix: values['db-prefix'] ?? 'atelier',
        instances,
        basePort: Number(values['base-port'] ?? 4000),
        storageDir: join(config.DATA_DIR, 'cluster-files'),
        logLevel: config.LOG_LEVEL,
      });
      console.log('Atelier distributed mode is running:');
      for (const p of cluster.processes)
        console.log(`  ${p.service.padEnd(12)} pid ${p.child.pid}  ${p.url}`);
      const u = cluster.simulateUrls;
      console.log(
        `Drive it: atelier simulate --shop-url ${u.shop} --partner-url ${u.partner} --crm-url ${u.crm} --mes-url ${u.mes} --tracker-url ${u.tracker} --partner-key <key from POST /api/partner/admin/partners>`,
      );
      onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [() => cluster.stop()]);
      return new Promise(() => undefined);
    }
    case 'config': {
      for (const [name, spec] of Object.entries(VARIABLES) as [string, VarSpec][]) {
        console.log(`${name.padEnd(30)} ${(spec.default ?? '(unset)').padEnd(22)} ${spec.description}`);
      }
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`atelier: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
