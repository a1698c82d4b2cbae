import pino, { type Logger } from 'pino';
import { MASK } from './domain/mask';

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'assistant-electeur' },
      redact: { paths: REDACT_PATHS, censor: MASK },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
