/**
 * Loaded before anything else by the `atelier` command (bin/atelier.js), so tracing is in place
 * before the database, broker and Redis clients load. Only the commands that run services trace;
 * OTEL_SDK_DISABLED=true or 1 (the OpenTelemetry standard switch) turns it off, for example to
 * measure its cost. The full configuration is checked later, with the rest, by loadConfig.
 */
import { startTracing } from './tracing.js';

function serviceNameFor(argv: readonly string[]): string | undefined {
  const [command, service] = argv;
  if (command === 'up') return 'atelier';
  if (command === 'serve' && service) return `atelier-${service}`;
  return undefined;
}

const name = serviceNameFor(process.argv.slice(2));
// Read as loadConfig reads a boolean (true or 1, any case), before loadConfig can run.
const disabled = ['true', '1'].includes((process.env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase());
if (name && !disabled) {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const protocol = process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
  startTracing({
    serviceName: process.env.OTEL_SERVICE_NAME || name,
    ...(endpoint ? { endpoint } : {}),
    ...(protocol ? { protocol } : {}),
    ...(process.env.OTEL_TRACES_SAMPLER ? { sampler: process.env.OTEL_TRACES_SAMPLER } : {}),
    ...(process.env.OTEL_TRACES_SAMPLER_ARG ? { samplerArg: process.env.OTEL_TRACES_SAMPLER_ARG } : {}),
  });
}
