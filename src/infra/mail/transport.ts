import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Logger } from '../../log';
import { headerValue } from './headers';

export interface OutgoingMail {
  to: string;
  /** The sender of this mail (its académie's); absent: the transport's `from`. */
  from?: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  kind: 'smtp' | 'file';
  send(message: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export interface MailTransportOptions {
  /** smtp:// or smtps:// URL, credentials included. Without it, mails are written to `outboxDir`. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
  logger: Logger;
}

/**
 * One plain address: an RFC 5322 dot-atom local part and a host name. No space, comma, semicolon, colon,
 * angle bracket nor quote, so that no address parser can read a second recipient, a group (« x: evil@… ; »)
 * or a display name into it. Stripping CR and LF is not enough: « a@b.fr\r\nBcc: evil@x.fr » becomes the
 * group « a@b.fr Bcc: evil@x.fr », which nodemailer sends to evil@x.fr alone.
 */
const PLAIN_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** Thrown for a recipient that is not one plain address; the message never holds the address. */
export class InvalidRecipientError extends Error {
  override readonly name = 'InvalidRecipientError';
}

/** The recipient, checked to be exactly one plain address, or InvalidRecipientError. */
export function singleRecipient(value: string): string {
  if (value.length > 254 || !PLAIN_ADDRESS.test(value)) {
    throw new InvalidRecipientError('the recipient is not one plain address');
  }
  return value;
}

/**
 * Headers that keep auto-replies (« absent du bureau ») from bouncing back to an address nobody reads,
 * as RFC 3834 asks of automatic mail.
 */
const AUTOMATIC_HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };

export function createMailTransport(options: MailTransportOptions): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl, options) : fileTransport(options);
}

/**
 * Pooled SMTP. nodemailer's defaults wait 2 minutes to connect and 10 minutes on a silent socket; the
 * outbox worker retries anyway, so a dead relay must fail in seconds and free the worker.
 */
function smtpTransport(url: string, options: MailTransportOptions): MailTransport {
  const defaultFrom = senderOf(options.from);
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 3,
    maxMessages: 100,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
    dnsTimeout: 5_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    kind: 'smtp',
    async send(message) {
      const { to, ...content } = envelope(message);
      // The académie's sender when the mail names one (its profile), else the transport's.
      const from = message.from ? senderOf(message.from) : defaultFrom;
      // Addresses given already parsed, and base64 parts rather than quoted-printable (encoded natively):
      // nodemailer's address parser and quoted-printable encoder were most of a mail's CPU on the
      // account-creating turns (bench: 0.9 → 0.55 ms a mail, SMTP server included).
      await transporter.sendMail({
        ...content,
        from,
        to: { name: '', address: to },
        envelope: { from: from.address, to: [to] },
        headers: AUTOMATIC_HEADERS,
        textEncoding: 'base64',
      });
    },
    async close() {
      transporter.close();
    },
  };
}

/** MAIL_FROM as nodemailer's address object, parsed once (the first address of the header). */
export function senderOf(header: string): { name: string; address: string } {
  const [first] = addressparser(headerValue(header), { flatten: true });
  if (!first?.address) throw new Error('MAIL_FROM has no address');
  return { name: first.name, address: first.address };
}

/**
 * The embedded and development mode: each mail becomes an .eml file (openable in any mail client), named
 * by time and a random part, never by address.
 */
function fileTransport(options: MailTransportOptions): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const log = options.logger.child({ component: 'mail' });
  let ready: Promise<unknown> | undefined;
  return {
    kind: 'file',
    async send(message) {
      ready ??= mkdir(options.outboxDir, { recursive: true }).catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      await ready;
      const info = await composer.sendMail({
        from: headerValue(message.from ?? options.from),
        ...envelope(message),
        headers: AUTOMATIC_HEADERS,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(path.join(options.outboxDir, name), info.message as Buffer, { mode: 0o600 });
      log.info({ file: name }, 'mail written to the local outbox folder');
    },
    async close() {
      composer.close();
    },
  };
}

function envelope(message: OutgoingMail) {
  return {
    to: singleRecipient(message.to),
    subject: headerValue(message.subject),
    text: message.text,
    html: message.html,
  };
}
