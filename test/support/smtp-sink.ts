import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Header lines as received, lowercased names. */
  headers: Map<string, unknown>;
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: SunkMessage[];
  /** Transactions refused while `refuse(true)` was on. */
  readonly refusals: number;
  waitForMessages(n: number, timeoutMs?: number): Promise<SunkMessage[]>;
  /** While on, every MAIL FROM gets `code` (451 by default: « try again later »). */
  refuse(on: boolean, code?: number): void;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1, without TLS nor authentication, that keeps what it receives. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const waiters = new Set<() => void>();
  let refusing: number | undefined;
  let refusals = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'smtp-sink for tests',
    // A client's idle pooled connection must not hold a test's teardown for the default 30 s.
    closeTimeout: 500,
    onMailFrom(_address, _session, callback) {
      if (refusing === undefined) return callback();
      refusals += 1;
      const error = new Error(`${refusing} test sink refuses mail for now`) as Error & {
        responseCode: number;
      };
      error.responseCode = refusing;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html || '',
              headers: parsed.headers as Map<string, unknown>,
              raw,
            });
            for (const wake of waiters) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get refusals() {
      return refusals;
    },
    waitForMessages(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages.slice(0, n));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp sink: ${messages.length} message(s) after ${timeoutMs} ms, expected ${n}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    refuse(on, code = 451) {
      refusing = on ? code : undefined;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
