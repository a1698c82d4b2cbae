/**
 * What the account service needs from the outside world. Plain TypeScript: implemented in memory
 * (embedded mode, unit tests) and on Redis (src/infra/redis), and tested by one contract suite.
 */

/** A Bot Framework conversation reference, kept as opaque JSON so the domain stays SDK-free. */
export type ConversationRefJson = Readonly<Record<string, unknown>>;

/** A mail waiting in the outbox. It never carries a token in clear: `sealedToken` is encrypted. */
export type OutboxMail =
  | {
      readonly kind: 'confirmation';
      readonly to: string;
      readonly sealedToken: string;
      readonly expiresAt: number;
    }
  | { readonly kind: 'already-confirmed'; readonly to: string }
  /**
   * The account is still unconfirmed some time after its request (issue 15 reminders): when the
   * confirmation mail was sent and until when its link is valid. No link: the first mail has it.
   */
  | {
      readonly kind: 'reminder';
      readonly to: string;
      readonly requestedAt?: number;
      readonly expiresAt: number;
    };

export interface QueuedMail {
  readonly id: string;
  readonly mail: OutboxMail;
  /** Failed attempts so far. */
  readonly attempts: number;
}

/**
 * A pending request: what one conversation asked for one address (its password, its link). An address may
 * have several at once (from different conversations); the first one confirmed with its own password
 * wins and the others stop working.
 */
export interface AccountRequest {
  /** Normalised professional address. */
  readonly email: string;
  /** argon2id PHC string of the password chosen with this request. */
  readonly passwordHash: string;
  /** sha256 (hex) of the confirmation token. */
  readonly tokenHash: string;
  /** The token, encrypted for the outbox (see TokenSealer). */
  readonly sealedToken: string;
  /** Epoch ms, by the application clock. */
  readonly tokenExpiresAt: number;
  /** Epoch ms, by the application clock. */
  readonly now: number;
  /** Where to tell the teacher once this request is confirmed. */
  readonly conversation?: ConversationRefJson;
  /**
   * Short digest of « channel:conversation id » (base64url, see conversationTag): a new request with the
   * same tag replaces the previous one. Absent: the request never replaces another.
   */
  readonly conversationTag?: string;
  /** The channel id of the request (msteams, webchat, emulator…), shown on the confirmation page. */
  readonly channel?: string;
}

/**
 * - created: no account existed; a pending request was written and a confirmation mail queued.
 * - added: other conversations' requests are pending for this address; this one was added beside them
 *   (each link confirms only with its own password).
 * - replaced: this conversation had a pending request; it was replaced (its link answers « replaced », its
 *   mail, if not yet sent, was withdrawn).
 * - already-confirmed: nothing changed but an « already exists » mail was queued (at most one waits at a
 *   time per address).
 * - full: MAX_PENDING_REQUESTS requests of other conversations are pending and none can be dropped (each
 *   still waits for its mail to leave): nothing written.
 */
export type AccountRequestOutcome = 'created' | 'added' | 'replaced' | 'already-confirmed' | 'full';

/**
 * What a confirmation link can be:
 * - open: it can take a password;
 * - unknown: never ours (or forgotten after its grace period);
 * - expired: past its validity;
 * - used: it confirmed the account;
 * - replaced: a newer request from the same conversation (or a helpdesk resend) replaced it, or it was
 *   dropped for a newer one when too many were pending;
 * - superseded: another request for the address was confirmed first;
 * - cancelled: the helpdesk cancelled the address's pending requests;
 * - spent: too many wrong passwords were typed on it.
 */
export type LinkState =
  | 'open'
  | 'unknown'
  | 'expired'
  | 'used'
  | 'replaced'
  | 'superseded'
  | 'cancelled'
  | 'spent';
export type ClosedLinkState = Exclude<LinkState, 'open'>;

/** What the confirmation page shows of an open link's request (never its password hash). */
export interface OpenLink {
  readonly status: 'open';
  /** Epoch ms of the request (the original one, for a link resent by the helpdesk). */
  readonly requestedAt: number;
  /** The channel id of the request, when known. */
  readonly channel?: string;
  readonly expiresAt: number;
  /** Password attempts left on this link. */
  readonly attemptsLeft: number;
  /** Requests made for this address in the RECENT_REQUESTS_WINDOW_MS before now, this one included. */
  readonly recentRequests: number;
}

export type LinkInspection = OpenLink | { readonly status: ClosedLinkState };

/** One password attempt taken on an open link: the hash to verify against. */
export type AttemptGrant =
  | { readonly status: 'open'; readonly passwordHash: string; readonly attemptsLeft: number }
  | { readonly status: ClosedLinkState };

export type ConfirmOutcome =
  | { readonly status: 'confirmed'; readonly email: string; readonly conversation?: ConversationRefJson }
  /** The password did not match; `attemptsLeft` 0 means the link is now spent. */
  | { readonly status: 'wrong-password'; readonly attemptsLeft: number }
  | { readonly status: ClosedLinkState };

export interface AccountSnapshot {
  readonly email: string;
  readonly status: 'pending' | 'confirmed';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly confirmedAt?: number;
  /** While pending: the latest expiry among the pending links. */
  readonly tokenExpiresAt?: number;
  /** While pending: how many requests wait for a confirmation. */
  readonly pendingRequests?: number;
}

export interface ResendRequest {
  readonly email: string;
  /** Only this conversation's request (its tag); absent: the newest request of the address. */
  readonly tag?: string;
  readonly tokenHash: string;
  readonly sealedToken: string;
  readonly tokenExpiresAt: number;
  readonly now: number;
}

/**
 * - resent: the newest pending request got a new link, with the same password (the previous link answers
 *   « replaced ») and a mail is queued.
 * - confirmed / none: nothing to resend.
 */
export type ResendOutcome = 'resent' | 'confirmed' | 'none';

export type CancelOutcome =
  | { readonly outcome: 'cancelled'; readonly count: number }
  | { readonly outcome: 'confirmed' | 'none' };

export interface ConfirmRequest {
  readonly tokenHash: string;
  /** Epoch ms, by the application clock. */
  readonly now: number;
  /** When the confirmed account may be forgotten (epoch ms): the vote's close plus the retention. */
  readonly accountExpiresAt: number;
}

/**
 * Accounts and their pending requests. Every write is atomic, whatever the concurrency, and everything a
 * request writes expires (Redis: link validity plus a grace period; a confirmed account at
 * `accountExpiresAt`).
 */
export interface AccountRepository {
  requestAccount(request: AccountRequest): Promise<AccountRequestOutcome>;
  /** Read-only: what the link's page shows. `now` is by the application clock. */
  inspectLink(tokenHash: string, now: number): Promise<LinkInspection>;
  /**
   * Takes one of the link's MAX_CONFIRM_ATTEMPTS password attempts, atomically (parallel submits cannot
   * get more), and returns the request's hash to verify against.
   */
  takeAttempt(tokenHash: string, now: number): Promise<AttemptGrant>;
  /**
   * Confirms the account with this link's request, after its password was verified: at most once per
   * address (the first wins; the other pending links answer « superseded »).
   */
  confirm(request: ConfirmRequest): Promise<Exclude<ConfirmOutcome, { status: 'wrong-password' }>>;
  find(email: string): Promise<AccountSnapshot | null>;
  /** A new link for the newest pending request, keeping its password; its old link stops working. */
  resendConfirmation(request: ResendRequest): Promise<ResendOutcome>;
  /**
   * Every pending request of the address stops working (« cancelled »): the helpdesk's; or, with a
   * conversation's tag, that conversation's only (a teacher who gave the wrong address).
   */
  cancelPending(email: string, now: number, tag?: string): Promise<CancelOutcome>;
  /**
   * The confirmed account's password hash; while pending, the newest request's (tests, diagnostics).
   * Never shown to anyone.
   */
  passwordHash(email: string): Promise<string | null>;
}

export interface Outbox {
  enqueue(mail: OutboxMail, now: number): Promise<string>;
  /** Takes up to `limit` due mails and hides them for `leaseMs`, so that two workers never send one mail twice. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]>;
  markSent(id: string): Promise<void>;
  /** Schedules another attempt. */
  markFailed(id: string, nextAttemptAt: number): Promise<void>;
  /**
   * Holds a claimed mail until `until` without counting an attempt (the address's mail budget is spent).
   * Ignored for a mail withdrawn meanwhile.
   */
  postpone(id: string, until: number): Promise<void>;
  /** Gives up: the mail moves to the dead letters. */
  markDead(id: string, reason: string): Promise<void>;
  /** Counts for health and statistics. */
  counts(): Promise<{ queued: number; dead: number }>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
}

export interface TokenSealer {
  seal(token: string): string;
  /** Throws when the sealed value was not made with this key or was tampered with. */
  unseal(sealed: string): string;
}
