#!/usr/bin/env node
// The `atelier` command: runs the compiled CLI (npm run build produces dist/). Telemetry first,
// so the libraries it instruments are loaded through it (see src/platform/telemetry/bootstrap.ts).
await import('../dist/src/platform/telemetry/bootstrap.js');
await import('../dist/src/cli/main.js');
