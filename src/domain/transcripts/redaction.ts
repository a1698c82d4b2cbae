/** What the helpdesk sees instead of a secret, the same mask as the NUMEN guard's. */
import { MASK } from '../mask';
import { maskCandidatePasswords } from '../understanding/candidate-password';
import { maskNumen } from '../understanding/numen';

export { MASK };

export interface RedactionFlags {
  /** The message answered a password prompt: its text and every card value are the secret. */
  readonly secretAnswer?: boolean;
  /**
   * The bot's own message: it never repeats a password it was asked about, and its texts (« le lien
   * « Confirmer… » », « JJ/MM/AAAA ») must reach the helpdesk as sent, so no candidate password is looked for.
   */
  readonly fromBot?: boolean;
}

/**
 * Card fields that carry a password, whatever the channel (Web Chat / Teams submit `value`, Teams
 * Action.Execute `value.action.data`): matched on the key so that a new card input cannot leak by name.
 */
const SECRET_KEY = /password|passwd|confirmation|mot_?de_?passe|motdepasse|secret/i;

/**
 * Routing fields the helpdesk needs verbatim (ids, parties, timestamps): they are never free text, and
 * rewriting them would detach the activity from its conversation.
 */
const ROUTING_KEYS = new Set([
  'id',
  'type',
  'replyToId',
  'channelId',
  'serviceUrl',
  'conversation',
  'from',
  'recipient',
  'timestamp',
  'localTimestamp',
  'localTimezone',
  'locale',
  'deliveryMode',
  'callerId',
  'textFormat',
  'inputHint',
]);

/** The mail's link (or a part of it) pasted back by the teacher: `…/confirmation?jeton=…`, encoded or not. */
const CONFIRMATION_LINK = /jeton(?:=|%3D)/i;
/** A confirmation token alone: 32 random bytes in base64url are exactly 43 characters (tokens.ts). */
const BARE_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/** Cards are shallow; anything deeper than this is not a real activity and is not worth keeping. */
const MAX_DEPTH = 32;

/**
 * Masks NUMENs, confirmation links, tokens and candidate passwords (« est-ce que Soleil2014 ça passe ? »)
 * in free text; anything else is kept as typed.
 */
export function redactText(text: string): string {
  return maskCandidatePasswords(redactSecrets(text), MASK);
}

/** Masks NUMENs, confirmation links and tokens: what the bot's own messages may hold (a link it sends). */
export function redactSecrets(text: string): string {
  // Word by word rather than one `\S*jeton=\S*` pattern, which backtracks quadratically on a long word.
  const unlinked = CONFIRMATION_LINK.test(text)
    ? text.replace(/\S+/g, (word) => (CONFIRMATION_LINK.test(word) ? MASK : word))
    : text;
  return maskNumen(unlinked.replace(BARE_TOKEN, MASK), MASK);
}

/**
 * A redacted deep copy of an activity, JSON-safe (dates as ISO strings), ready to be stored: the input is
 * never modified, since the same object is still on its way to the channel or to the dialogs.
 */
export function redactActivity(activity: object, flags: RedactionFlags = {}): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(activity)) {
    if (value === undefined || typeof value === 'function') continue;
    if (ROUTING_KEYS.has(key)) {
      copy[key] = copyJson(value, 0);
      continue;
    }
    if (flags.secretAnswer && key === 'text' && typeof value === 'string') {
      copy[key] = value === '' ? value : MASK;
      continue;
    }
    if (flags.secretAnswer && key === 'value') {
      copy[key] = maskAllValues(value, 0);
      continue;
    }
    copy[key] = redactValue(value, 0, flags.fromBot ? redactSecrets : redactText);
  }
  return copy;
}

function redactValue(value: unknown, depth: number, redact: (text: string) => string): unknown {
  if (depth > MAX_DEPTH) return MASK;
  if (typeof value === 'string') return redact(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, redact) ?? null);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // An Adaptive Card password input may be sent with a prefilled value: never keep it.
    const passwordInput = object.style === 'password';
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(object)) {
      if (v === undefined || typeof v === 'function') continue;
      if ((SECRET_KEY.test(key) || (passwordInput && key === 'value')) && isScalar(v)) copy[key] = MASK;
      else if (SECRET_KEY.test(key) && v && typeof v === 'object') copy[key] = maskAllValues(v, depth + 1);
      else copy[key] = redactValue(v, depth + 1, redact);
    }
    return copy;
  }
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * The value of a message that answered a password prompt: every scalar is the secret or part of it, except
 * the card's action name, which tells the helpdesk that the card was submitted.
 */
function maskAllValues(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskAllValues(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function') continue;
      copy[key] = key === 'action' && typeof v === 'string' ? redactText(v) : maskAllValues(v, depth + 1);
    }
    return copy;
  }
  return value === null || typeof value === 'boolean' ? value : MASK;
}

function copyJson(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => copyJson(v, depth + 1) ?? null);
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && typeof v !== 'function') copy[key] = copyJson(v, depth + 1);
    }
    return copy;
  }
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}
