/**
 * Stands in for an OpenTelemetry Collector in the pipeline benchmark: takes OTLP/HTTP trace
 * exports (protobuf, as the services send by default) and counts what arrived, so "telemetry
 * on" includes the services' cost of encoding and sending their spans.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startSpanSink(): Promise<{
  endpoint: string;
  exports: number;
  bytes: number;
  close(): Promise<void>;
}> {
  const seen = { exports: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (seen.bytes += c.length));
    req.on('end', () => {
      seen.exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get exports() {
      return seen.exports;
    },
    get bytes() {
      return seen.bytes;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
