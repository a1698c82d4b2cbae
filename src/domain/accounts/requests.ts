import { createHash } from 'node:crypto';
import type { ConversationRefJson } from './ports';

/**
 * Wrong passwords a confirmation link takes before it is spent. A teacher who mistypes tries two or three
 * times; five leaves room for that, while a guess at someone else's password has five chances against an
 * argon2-hashed password of at least 8 characters. Counted in the store, so parallel submits cannot get
 * more.
 */
export const MAX_CONFIRM_ATTEMPTS = 5;

/**
 * Pending requests one address may have at once, from different conversations. An honest teacher has one
 * (two when starting again in another conversation); more means someone else types the address too. When
 * full, a new request drops the oldest one whose mail has already left; if every one still waits for its
 * mail (the address's mail budget is spent), the new request is refused. So a stranger cannot push the
 * teacher's request out before its mail was sent, and the store holds at most five per address.
 */
export const MAX_PENDING_REQUESTS = 5;

/** The confirmation page warns when the address had several requests within this window. */
export const RECENT_REQUESTS_WINDOW_MS = 48 * 3_600_000;

/** How many request times an account keeps for that warning (more would only say « many »). */
export const RECENT_REQUESTS_KEPT = 10;

/**
 * The key that tells two requests of one conversation apart from two of different conversations: a short
 * digest of « channel:conversation id », so that the store neither grows with hostile ids nor holds them.
 * 96 bits: collisions between conversations of one address are out of reach. Undefined without both ids.
 */
export function conversationTag(ref: ConversationRefJson | undefined): string | undefined {
  const key = conversationKeyOf(ref);
  if (key === undefined) return undefined;
  return createHash('sha256').update(key, 'utf8').digest().subarray(0, 12).toString('base64url');
}

/** « channel:conversation id » from a stored conversation reference, when it has both. */
export function conversationKeyOf(ref: ConversationRefJson | undefined): string | undefined {
  const conversation = ref?.conversation as { id?: unknown } | undefined;
  const channelId = ref?.channelId;
  if (typeof channelId !== 'string' || typeof conversation?.id !== 'string') return undefined;
  return `${channelId}:${conversation.id}`;
}

/**
 * The reference kept with a pending request: what the proactive « compte confirmé » message needs and
 * nothing else — the channel, its service URL, the conversation (and its Microsoft 365 tenant, for Teams),
 * the teacher's and the bot's ids, and the locale. No display names (personal data the message does not
 * need), no activity id (a proactive turn starts its own).
 */
export function compactReference(ref: ConversationRefJson): ConversationRefJson {
  const idOf = (party: unknown) => {
    const id = (party as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : undefined;
  };
  const conversation = ref.conversation as { id?: unknown; tenantId?: unknown } | undefined;
  const compact: Record<string, unknown> = {};
  if (typeof ref.channelId === 'string') compact.channelId = ref.channelId;
  if (typeof ref.serviceUrl === 'string') compact.serviceUrl = ref.serviceUrl;
  const conversationId = idOf(conversation);
  if (conversationId !== undefined)
    compact.conversation =
      typeof conversation?.tenantId === 'string'
        ? { id: conversationId, tenantId: conversation.tenantId }
        : { id: conversationId };
  const userId = idOf(ref.user);
  const botId = idOf(ref.bot);
  if (userId !== undefined) compact.user = { id: userId };
  if (botId !== undefined) compact.bot = { id: botId };
  if (typeof ref.locale === 'string') compact.locale = ref.locale;
  return compact;
}

/** How many of `times` (epoch ms) fall within the window ending at `now`. */
export function countRecent(times: readonly number[], now: number): number {
  return times.filter((at) => at > now - RECENT_REQUESTS_WINDOW_MS && at <= now).length;
}
