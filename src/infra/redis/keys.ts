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

/**
 * Names under the first `tr:` segment that are not channels: a channel id spelled like one of them is
 * hashed, so that `tr:{channel}:{conversation}` can never land on an index or meta key.
 */
const RESERVED_CHANNELS = new Set(['meta', 'by-address', 'by-day', 'by-channel']);
const PLAIN_CHANNEL = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Channel ids are short words (webchat, msteams, cli); anything else is hashed, so the channel part has
 * no `:` nor `/` nor brace, and the first separator after it always ends it.
 */
export function channelPart(channelId: string): string {
  if (PLAIN_CHANNEL.test(channelId) && !RESERVED_CHANNELS.has(channelId)) return channelId;
  return `#${createHash('sha256').update(channelId, 'utf8').digest('hex')}`;
}

/**
 * The hash tag of one conversation, `<channel>:<conversation>`: its state, lock, duplicate filter and
 * transcript share it, so that the script before a turn and the one after it each touch one slot. The
 * channel part is never empty and has no brace, so the tag is the same for all of them even if the
 * conversation part holds a `}` (Redis then takes the text up to it, the same in every key).
 */
export function conversationHashTag(channelId: string, conversationId: string): string {
  return `${channelPart(channelId)}:${keyPart(conversationId)}`;
}

/** Every key of one conversation, under the deployment prefix. */
export function conversationKeys(prefix: string, channelId: string, conversationId: string) {
  const tag = `{${conversationHashTag(channelId, conversationId)}}`;
  const base = checkedPrefix(prefix);
  return {
    state: `${base}state:${tag}`,
    lock: `${base}lock:${tag}`,
    transcript: `${base}tr:${tag}`,
    transcriptMeta: `${base}tr:meta:${tag}`,
    /** An activity's entry in the duplicate filter: ids are unique per conversation, not across teachers. */
    seen: (activityId: string) => `${base}seen:${tag}:${keyPart(activityId)}`,
  };
}

export type ConversationKeys = ReturnType<typeof conversationKeys>;

/** Statistics are small (a few hashes per day); one slot keeps each event's MULTI atomic. */
export const STATS_TAG = 'stats';
