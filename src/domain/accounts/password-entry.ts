import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';
import { AppError } from '../../errors';
import type { ElectionCalendar } from '../calendar/calendar';
import type { RateLimiter } from '../limits/rate-limiter';
import { RULES } from '../limits/rules';
import { checkPassword, type PasswordPolicy, type PasswordRule } from './password-policy';
import type { ConversationRefJson, PasswordHasher } from './ports';
import { hashToken, newToken } from './tokens';

/** Path of the page where the password is typed; the token follows (`/mot-de-passe/<jeton>`). */
export const PASSWORD_ENTRY_PATH = '/mot-de-passe';

/** Long enough to open the page and choose a password, short enough that a leaked link soon dies. */
export const PASSWORD_ENTRY_TTL_MS = 30 * 60_000;

/** How long a link's record outlives the link, so that « used / expired / replaced » can be told apart. */
export const PASSWORD_ENTRY_GRACE_MS = 24 * 3_600_000;

/**
 * How long one submit holds a link while argon2 runs (well under a second): a process that dies meanwhile
 * frees the link when the lease ends.
 */
export const PASSWORD_ENTRY_HASHING_LEASE_MS = 60_000;

/** A replaced link only needs to say « replaced » while its page may still be open in a tab. */
export const PASSWORD_ENTRY_REVOKED_GRACE_MS = 3_600_000;

/**
 * - pending: the link works;
 * - hashing: one submit holds the link while argon2 runs (a lease: it works again if that submit dies);
 * - entered: the page was submitted, the PHC waits for the dialog;
 * - claimed: the account was requested with the PHC (the record no longer holds it);
 * - revoked: a newer link was asked for in the chat.
 */
export type PasswordEntryStatus = 'pending' | 'hashing' | 'entered' | 'claimed' | 'revoked';

export interface PasswordEntryRecord {
  readonly id: string;
  readonly email: string;
  readonly conversation: ConversationRefJson;
  readonly expiresAt: number;
  readonly status: PasswordEntryStatus;
}

export interface NewPasswordEntry {
  readonly id: string;
  readonly tokenHash: string;
  readonly email: string;
  readonly conversation: ConversationRefJson;
  readonly expiresAt: number;
  /** Application clock (never the store's own): the store's retention is counted from it. */
  readonly createdAt: number;
}

/** What the dialog finds for its entry: the PHC, « already used for the account », or nothing. */
export type ClaimResult = { readonly email: string; readonly passwordHash: string } | 'consumed' | null;

export type CompleteOutcome = 'entered' | 'unknown' | 'used' | 'expired' | 'replaced';

/** 'busy': another submit holds the link (a double click): only one of them runs argon2. */
export type BeginOutcome = 'hashing' | 'busy' | 'unknown' | 'used' | 'expired' | 'replaced';

/**
 * Where links wait. Only the sha256 of a token is ever a key, and only an argon2id PHC is ever stored:
 * a dump of the store opens no page and reveals no password.
 */
export interface PasswordEntryStore {
  create(entry: NewPasswordEntry): Promise<void>;
  findByToken(tokenHash: string): Promise<PasswordEntryRecord | null>;
  /**
   * pending (or hashing past its lease) and not expired at `now` → hashing until `leaseEnd`; anything else
   * says why not. Atomic: of concurrent submits, one only gets 'hashing'.
   */
  begin(tokenHash: string, now: number, leaseEnd: number): Promise<BeginOutcome>;
  /** hashing → pending again (the submit failed before completing). */
  release(tokenHash: string): Promise<void>;
  /** pending or hashing, and not expired at `now` → entered with the PHC; anything else says why not. Atomic. */
  complete(tokenHash: string, passwordHash: string, now: number): Promise<CompleteOutcome>;
  /**
   * The PHC of an entered entry, without consuming it (the turn that uses it may still fail);
   * 'consumed' once `consume` ran.
   */
  claim(id: string): Promise<ClaimResult>;
  /** The account was requested with the PHC: the record is then `claimed` and no longer holds it. */
  consume(id: string): Promise<void>;
  /** A pending or entered entry stops working (a newer link replaces it, or the step was left). */
  revoke(id: string): Promise<void>;
}

/** What a link opens, as the page tells it. */
export type LinkState = 'open' | 'unknown' | 'used' | 'expired' | 'replaced';

export type SubmitOutcome =
  | { readonly status: 'saved'; readonly id: string; readonly conversation: ConversationRefJson }
  | { readonly status: 'invalid'; readonly unmet: readonly PasswordRule[]; readonly mismatch: boolean }
  | { readonly status: Exclude<LinkState, 'open'> | 'busy' };

export interface OpenedLink {
  readonly id: string;
  readonly url: string;
  readonly expiresAt: Date;
}

export interface PasswordEntryServiceDeps {
  readonly store: PasswordEntryStore;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  /** The account window (links never outlive it) and the election's password policy (what the page checks). */
  readonly calendar: ElectionCalendar;
  /** Read at each link: the base is only known once the server listens (port 0 in tests). */
  readonly baseUrl: () => string;
  readonly ttlMs?: number;
  /** Links per conversation (RULES.passwordLinksPerConversation); none in unit tests. */
  readonly limiter?: RateLimiter;
}

/** newToken() output: anything else cannot be ours, so no store round-trip. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Password entry off the chat: the dialog opens a one-time link bound to its conversation and to the
 * address chosen; the page checks the password with the one policy and hashes it; the dialog then takes
 * the hash, once. The clear password exists only in the page's request.
 */
export class PasswordEntryService {
  private readonly ttlMs: number;

  constructor(private readonly deps: PasswordEntryServiceDeps) {
    this.ttlMs = deps.ttlMs ?? PASSWORD_ENTRY_TTL_MS;
  }

  /** The rules `submit` checks: the page states these, not others. */
  get policy(): PasswordPolicy {
    return this.deps.calendar.passwordPolicy;
  }

  async open(input: { email: string; conversation: ConversationRefJson }): Promise<OpenedLink> {
    const now = this.deps.clock.now().getTime();
    const expiresAt = Math.min(now + this.ttlMs, this.deps.calendar.accountCreation.closes.getTime());
    if (expiresAt <= now) throw new AppError('ACCOUNT_WINDOW_CLOSED', 'after', { status: 'after' });
    const rule = RULES.passwordLinksPerConversation;
    const verdict = await this.deps.limiter?.consume(rule, conversationKeyOf(input.conversation), now);
    if (verdict && !verdict.allowed)
      throw new AppError('RATE_LIMITED', rule.name, { rule: rule.name, retryAfterMs: verdict.retryAfterMs });
    const token = newToken();
    const id = randomBytes(16).toString('base64url');
    await this.deps.store.create({
      id,
      tokenHash: hashToken(token),
      email: input.email,
      conversation: input.conversation,
      expiresAt,
      createdAt: now,
    });
    return {
      id,
      url: `${this.deps.baseUrl()}${PASSWORD_ENTRY_PATH}/${token}`,
      expiresAt: new Date(expiresAt),
    };
  }

  async inspect(token: string): Promise<LinkState> {
    if (!TOKEN_SHAPE.test(token)) return 'unknown';
    return stateOf(await this.deps.store.findByToken(hashToken(token)), this.deps.clock.now().getTime());
  }

  /** Cheap checks first (link, policy, equality), argon2 last; the store decides atomically. */
  async submit(token: string, password: string, confirmation: string): Promise<SubmitOutcome> {
    const state = await this.inspect(token);
    if (state !== 'open') return { status: state };
    const chosen = password.normalize('NFC');
    const policy = checkPassword(chosen, this.policy);
    const mismatch = chosen !== confirmation.normalize('NFC');
    if (!policy.ok || mismatch) return { status: 'invalid', unmet: policy.ok ? [] : policy.unmet, mismatch };
    const tokenHash = hashToken(token);
    // Argon2 is the costly part: one submit per link runs it, the others are turned away before.
    const now = this.deps.clock.now().getTime();
    const begun = await this.deps.store.begin(tokenHash, now, now + PASSWORD_ENTRY_HASHING_LEASE_MS);
    if (begun !== 'hashing') return { status: begun };
    let passwordHash: string;
    try {
      passwordHash = await this.deps.hasher.hash(chosen);
    } catch (error) {
      await this.deps.store.release(tokenHash).catch(() => undefined);
      throw error;
    }
    const outcome = await this.deps.store.complete(tokenHash, passwordHash, this.deps.clock.now().getTime());
    if (outcome !== 'entered') return { status: outcome };
    const record = await this.deps.store.findByToken(tokenHash);
    if (!record) return { status: 'unknown' };
    return { status: 'saved', id: record.id, conversation: record.conversation };
  }

  /**
   * The PHC the page left for this entry (null when there is none, or no longer; 'consumed' when the
   * account was already requested with it). Read only: `consume` once the account request succeeded.
   */
  async claim(id: string): Promise<{ readonly passwordHash: string } | 'consumed' | null> {
    const claimed = await this.deps.store.claim(id);
    if (claimed === 'consumed' || claimed === null) return claimed;
    return { passwordHash: claimed.passwordHash };
  }

  async consume(id: string): Promise<void> {
    await this.deps.store.consume(id);
  }

  async revoke(id: string): Promise<void> {
    await this.deps.store.revoke(id);
  }
}

/** « channel:conversation id »; one shared budget when the reference lacks them (never seen in practice). */
function conversationKeyOf(ref: ConversationRefJson): string {
  const conversation = ref.conversation as { id?: unknown } | undefined;
  const channel = typeof ref.channelId === 'string' ? ref.channelId : '';
  return typeof conversation?.id === 'string' ? `${channel}:${conversation.id}` : `${channel}:?`;
}

function stateOf(record: PasswordEntryRecord | null, now: number): LinkState {
  if (!record) return 'unknown';
  switch (record.status) {
    case 'entered':
    case 'claimed':
      return 'used';
    case 'revoked':
      return 'replaced';
    // pending, or hashing: the form shows, its submit is told the link is busy or takes it after the lease.
    default:
      return record.expiresAt <= now ? 'expired' : 'open';
  }
}
