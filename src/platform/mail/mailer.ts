import nodemailer from 'nodemailer';
import { ConfigError, type Config } from '../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * A message the SMTP server did not take. The message keeps the server's reply (e.g. "451 4.3.0
 * Try again later"), which is what a person needs to act on; it may quote the recipient's
 * address, so logs get it through maskAddresses().
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  /** nodemailer's class of failure: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE, ABORT… */
  readonly code: string | undefined;
  /** The SMTP reply code, when the server answered. */
  readonly responseCode: number | undefined;
  /** The SMTP command that failed (CONN, AUTH PLAIN, RCPT TO, DATA…). */
  readonly command: string | undefined;

  constructor(message: string, details: { code?: string; responseCode?: number; command?: string }) {
    super(message);
    this.code = details.code;
    this.responseCode = details.responseCode;
    this.command = details.command;
  }

  /** A 5xx reply: the same message will be refused again until someone changes something. */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500;
  }
}

export interface Mailer {
  /** The SMTP server as smtp://host:port, without credentials, for logs. */
  readonly server: string;
  /** Longest a send() may take before it is aborted. */
  readonly timeoutMs: number;
  /** Sends one plain-text message from MAIL_FROM; resolves with its Message-ID. */
  send(message: MailMessage): Promise<string>;
  /** Connects and authenticates without sending, to report a wrong SMTP_URL at start. */
  verify(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** Whole-message deadline; the e-mail outbox lease must outlast it. */
  timeoutMs?: number;
}

/**
 * The SMTP mailer configured by SMTP_URL (smtp:// with STARTTLS when the server offers it,
 * smtps:// for TLS from the first byte; nodemailer options may follow as query parameters, e.g.
 * ?tls.rejectUnauthorized=false). Undefined when SMTP_URL is unset: the platform sends no e-mail.
 */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>,
  opts: MailerOptions = {},
): Mailer | undefined {
  if (!config.SMTP_URL) return undefined;
  const url = new URL(config.SMTP_URL);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps:// (it starts with ${url.protocol}//).`);
  }
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // One connection per message (no pool): the pool re-sends a message whose connection dropped,
  // which could deliver it twice; operator notifications are too few for reuse to matter.
  const transport = nodemailer.createTransport(
    {
      url: config.SMTP_URL,
      connectionTimeout: Math.min(10_000, timeoutMs),
      greetingTimeout: Math.min(10_000, timeoutMs),
      socketTimeout: Math.min(30_000, timeoutMs),
      // nodemailer's own logger would print the SMTP dialogue: addresses and the AUTH exchange.
      logger: false,
      debug: false,
    },
    { from: config.MAIL_FROM },
  );
  return {
    server: `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`,
    timeoutMs,
    async send(message) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const info = await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          signal,
        });
        return info.messageId;
      } catch (err) {
        if (signal.aborted) {
          // Abandoned mid-dialogue: if the server had already taken the message, it may arrive
          // and be sent again on the retry, the one duplicate SMTP cannot rule out.
          throw new MailSendError(`No answer from ${this.server} within ${timeoutMs} ms; sending abandoned`, {
            code: 'ETIMEDOUT',
          });
        }
        throw toMailError(err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw toMailError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * nodemailer's errors carry the reply in their message and also the envelope, the rejected
 * addresses and the socket; only what a person acts on is kept, so logging it cannot leak more.
 */
function toMailError(err: unknown): MailSendError {
  const e = err as Error & { code?: unknown; responseCode?: unknown; command?: unknown };
  return new MailSendError(String(e?.message ?? err), {
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    ...(typeof e?.command === 'string' ? { command: e.command } : {}),
  });
}
