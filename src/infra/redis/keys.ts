import { createHash } from 'node:crypto';

/** Longer parts are hashed: a hostile conversation or activity id must not be able to create huge keys. */
export const MAX_KEY_PART_LENGTH = 200;

/**
 * A key part that is safe to embed in a Redis key. The `#` marker of hashed parts cannot collide with a
 * legitimate short part, because a short part starting with `#` is hashed too.
 */
export function keyPart(part: string): string {
  if (part.length <= MAX_KEY_PART_LENGTH && !part.startsWith('#')) return part;
  return `#${createHash('sha256').update(part, 'utf8').digest('hex')}`;
}

/**
 * Redis Cluster places a key by its hash tag (the text between the first `{` and the next `}`) when it
 * has one: keys that one script or transaction touches together must share a tag, or the command fails
 * with CROSSSLOT. The deployment prefix comes first and cannot hold a brace (REDIS_PREFIX allows none),
 * so the tag written after it is always the one that counts, whatever an address or an id contains.
 */
export function tagged(prefix: string, tag: string, rest: string): string {
  return `${checkedPrefix(prefix)}{${tag}}:${rest}`;
}

export function checkedPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new RangeError('a Redis key prefix cannot contain « { » or « } »');
  return prefix;
}

/**
 * Accounts, their token records and the mail outbox share one slot: a request writes the account, the
 * new token record, its mail and the due set atomically, and the due set is one key anyway. At about
 * 1 KB per pending account this is ~1 GB for a million teachers, on one master; account creation is
 * bounded by argon2 (hundreds per second), far below what one Redis node serves.
 */
export const ACCOUNTS_TAG = 'accounts';

export function accountKeys(prefix: string) {
  return {
    account: (email: string) => tagged(prefix, ACCOUNTS_TAG, `acct:${keyPart(email)}`),
    token: (tokenHash: string) => tagged(prefix, ACCOUNTS_TAG, `acct:token:${tokenHash}`),
    mail: (id: string) => tagged(prefix, ACCOUNTS_TAG, `outbox:mail:${id}`),
    due: tagged(prefix, ACCOUNTS_TAG, 'outbox:due'),
    dead: tagged(prefix, ACCOUNTS_TAG, 'outbox:dead'),
  };
}

/** Statistics are small (a few hashes per day); one slot keeps each event's MULTI atomic. */
export const STATS_TAG = 'stats';
