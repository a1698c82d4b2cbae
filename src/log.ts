import pino, { type Logger } from 'pino';
import { MASK } from './domain/mask';
import { redactSecrets } from './domain/transcripts/redaction';

export type { Logger };

/**
 * Paths that may hold a secret or a personal address. Code should never log them in the first place;
 * this is the second line of defence.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'sealedToken',
  '*.sealedToken',
  'numen',
  '*.numen',
  'email',
  '*.email',
  'to',
  '*.to',
  'text',
  '*.text',
  'value',
  '*.value',
  'activity.text',
  'activity.value',
  'req.headers.authorization',
  'headers.authorization',
  'link',
  '*.link',
];

/**
 * An address anywhere in a string: in an SMTP reply, an error message, a free-text field. The domain is
 * kept (it tells which académie, never who). A match starts only where a run of address characters
 * starts (the lookbehind): otherwise a long run followed by « @ » and no domain is rescanned from each of
 * its characters, which is quadratic.
 */
const ADDRESS = /(?<![^\s<>"'()[\],;:@])[^\s<>"'()[\],;:@]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})/g;

export function maskAddresses(text: string): string {
  return text.includes('@') ? text.replace(ADDRESS, `${MASK}@$1`) : text;
}

/** A log line is for people: past this, a string is cut (and the masking stays linear in practice). */
const MAX_STRING = 8_192;

/** Addresses, NUMENs, confirmation links and tokens, wherever they hide in a logged string. */
export function maskLogText(text: string): string {
  const bounded = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  // Not the candidate-password masking of transcripts: log lines are the product's own words.
  return maskAddresses(redactSecrets(bounded));
}

/** Depth and size bounds keep a hostile object from making logging itself expensive. */
const MAX_DEPTH = 8;

function maskDeep(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskLogText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1, seen));
  if (value instanceof Error) {
    // A copy with the same prototype, so that pino's err serializer still names its class; own fields
    // (nodemailer puts the SMTP reply in `response`) are masked like the rest.
    const copy = Object.create(Object.getPrototypeOf(value)) as Error & Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[key] = maskDeep(item, depth + 1, seen);
    copy.message = maskLogText(value.message);
    if (value.stack) copy.stack = maskLogText(value.stack);
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = maskDeep(item, depth + 1, seen);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'assistant-electeur' },
      redact: { paths: REDACT_PATHS, censor: MASK },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Paths catch the fields we know; addresses can also hide in messages and errors.
      formatters: { log: (object) => maskDeep(object, 0, new WeakSet()) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskLogText(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * One pino JSON line as a person reads it in a terminal (`npm run demo`): time, level, message, then the
 * other fields as key=value. It formats what pino wrote, so redaction and masking already applied.
 */
export function plainLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, service: _service, ...rest } = record;
  const when = typeof time === 'string' ? time.slice(11, 19) : '';
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const name = LEVEL_NAMES[Number(level)] ?? String(level);
  return `${when} ${name.padEnd(5)} ${String(msg ?? '')}${fields ? `  ${fields}` : ''}\n`;
}

/** A destination writing plain lines (plainLine) instead of JSON: for the terminal demo, never production. */
export function plainLines(out: { write(text: string): unknown } = process.stderr): pino.DestinationStream {
  return { write: (line: string) => void out.write(plainLine(line)) };
}

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
