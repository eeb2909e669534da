/**
 * A real SMTP server in its own process, for the e-mail tests (started by smtp.ts). It speaks
 * plain SMTP on localhost (no STARTTLS), parses each message with mailparser, and lists what
 * it received and refused on a small HTTP endpoint. argv[2] is its JSON options; once both
 * servers listen it prints one line {"smtpPort","httpPort"}; it exits when its stdin closes,
 * so it never outlives the test process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpProcessOptions {
  /** Refuse the first N messages after their content, with failCode (a temporary 451 by default). */
  failFirst?: number;
  failCode?: number;
  /** Refuse recipients matching this regular expression at RCPT TO with a permanent 550. */
  rejectRecipients?: string;
  /** Wait this long before answering each message's content (a slow server). */
  delayMs?: number;
  /** Require AUTH with these credentials (allowed without TLS: this is localhost). */
  user?: string;
  pass?: string;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  /** The AUTH user of the session, when the client logged in. */
  user: string | null;
}

export interface Refusal {
  stage: 'AUTH' | 'RCPT' | 'DATA';
  code: number;
  to: string[];
}

const opts = JSON.parse(process.argv[2] ?? '{}') as SmtpProcessOptions;
const received: ReceivedMail[] = [];
const refused: Refusal[] = [];
let dataCount = 0;
/** Transactions begun (MAIL FROM), to see that a send is in flight before it is answered. */
let started = 0;
const rejectRecipients = opts.rejectRecipients ? new RegExp(opts.rejectRecipients) : undefined;

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const smtp = new SMTPServer({
  secure: false,
  disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
  authOptional: !opts.user,
  allowInsecureAuth: true,
  logger: false,
  // No reverse DNS of 127.0.0.1 per connection: a slow resolver would slow every test session.
  disableReverseLookup: true,
  onAuth(auth, _session, callback) {
    if (auth.username === opts.user && auth.password === opts.pass)
      return callback(null, { user: auth.username });
    refused.push({ stage: 'AUTH', code: 535, to: [] });
    callback(smtpError('5.7.8 Authentication credentials invalid', 535));
  },
  onMailFrom(_address, _session, callback) {
    started++;
    callback();
  },
  onRcptTo(address, _session, callback) {
    if (rejectRecipients?.test(address.address)) {
      refused.push({ stage: 'RCPT', code: 550, to: [address.address] });
      return callback(smtpError(`5.1.1 <${address.address}>: Recipient address rejected: no such user`, 550));
    }
    callback();
  },
  onData(stream, session, callback) {
    const to = session.envelope.rcptTo.map((a) => a.address);
    // The whole message is read before answering, as a real server does, so a refusal comes
    // after the client has sent everything: the path where a client might wrongly count it sent.
    simpleParser(stream).then(
      async (mail) => {
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        if (dataCount++ < (opts.failFirst ?? 0)) {
          const code = opts.failCode ?? 451;
          refused.push({ stage: 'DATA', code, to });
          return callback(smtpError('4.3.0 Temporary failure, please try again later', code));
        }
        const from = session.envelope.mailFrom;
        received.push({
          from: from ? from.address : '',
          to,
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          messageId: mail.messageId ?? '',
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      },
      (err: Error) => callback(err),
    );
  },
});

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/messages') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ started, received, refused }));
    return;
  }
  res.writeHead(404).end();
});

function listen(server: { listen(port: number, host: string, cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

await listen(smtp);
await listen(http);
const smtpPort = (smtp.server.address() as AddressInfo).port;
const httpPort = (http.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ smtpPort, httpPort })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
