/**
 * A real SMTP server for the e-mail tests, in a child process of its own (smtp-server-process.ts)
 * so that the client under test and the server share nothing but a TCP connection.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReceivedMail, Refusal, SmtpProcessOptions } from './smtp-server-process.js';

export type { ReceivedMail, Refusal, SmtpProcessOptions };

export interface TestSmtpServer {
  port: number;
  /** SMTP_URL for the platform, with the credentials when the server requires them. */
  url: string;
  /** Mail transactions begun (MAIL FROM), answered or not. */
  started(): Promise<number>;
  received(): Promise<ReceivedMail[]>;
  refused(): Promise<Refusal[]>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./smtp-server-process.js', import.meta.url));

export async function startSmtpServer(opts: SmtpProcessOptions = {}): Promise<TestSmtpServer> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<{ smtpPort: number; httpPort: number }>((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  const died = exited.then(() => {
    throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
  });
  died.catch(() => undefined); // after a good start, its exit is stop()'s business
  const ports = await Promise.race([ready, died]).catch((err: Error) => {
    throw new Error(`The test SMTP server did not start (${err.message}): ${stderr}`);
  });

  const state = async () => {
    const r = await fetch(`http://127.0.0.1:${ports.httpPort}/messages`);
    if (!r.ok) throw new Error(`The test SMTP server answered ${r.status}`);
    return (await r.json()) as { started: number; received: ReceivedMail[]; refused: Refusal[] };
  };
  const credentials = opts.user
    ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.pass ?? '')}@`
    : '';
  return {
    port: ports.smtpPort,
    url: `smtp://${credentials}127.0.0.1:${ports.smtpPort}`,
    started: async () => (await state()).started,
    received: async () => (await state()).received,
    refused: async () => (await state()).refused,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
