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
  | { readonly kind: 'already-confirmed'; readonly to: string };

export interface QueuedMail {
  readonly id: string;
  readonly mail: OutboxMail;
  /** Failed attempts so far. */
  readonly attempts: number;
}

export interface AccountRequest {
  /** Normalised professional address. */
  readonly email: string;
  /** argon2id PHC string. */
  readonly passwordHash: string;
  /** sha256 (hex) of the confirmation token. */
  readonly tokenHash: string;
  /** The token, encrypted for the outbox (see TokenSealer). */
  readonly sealedToken: string;
  /** Epoch ms, by the application clock. */
  readonly tokenExpiresAt: number;
  /** Epoch ms, by the application clock. */
  readonly now: number;
  readonly conversation?: ConversationRefJson;
}

/**
 * - created: no account existed; a pending one was written and a confirmation mail queued.
 * - replaced: a pending account existed; its password and token were replaced, the old link no longer
 *   works and its mail, if not yet sent, was withdrawn from the outbox.
 * - already-confirmed: nothing changed but an « already exists » mail was queued.
 */
export type AccountRequestOutcome = 'created' | 'replaced' | 'already-confirmed';

export type ConfirmOutcome =
  | { readonly status: 'confirmed'; readonly email: string; readonly conversation?: ConversationRefJson }
  | { readonly status: 'unknown' | 'expired' | 'used' | 'replaced' };

export interface AccountSnapshot {
  readonly email: string;
  readonly status: 'pending' | 'confirmed';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly confirmedAt?: number;
  /** Expiry of the current link while pending. */
  readonly tokenExpiresAt?: number;
}

export interface ResendRequest {
  readonly email: string;
  readonly tokenHash: string;
  readonly sealedToken: string;
  readonly tokenExpiresAt: number;
  readonly now: number;
}

/**
 * - resent: the pending account got a new link (the previous one answers « replaced ») and a mail is queued.
 * - confirmed / none: nothing to resend.
 */
export type ResendOutcome = 'resent' | 'confirmed' | 'none';

export interface AccountRepository {
  /** Atomic: one pending account and one valid link per address, whatever the concurrency. */
  requestAccount(request: AccountRequest): Promise<AccountRequestOutcome>;
  /** Atomic: a token confirms at most once. `now` is by the application clock. */
  confirm(tokenHash: string, now: number): Promise<ConfirmOutcome>;
  find(email: string): Promise<AccountSnapshot | null>;
  /** Atomic: a new link for a still-pending account, keeping its password; the old link stops working. */
  resendConfirmation(request: ResendRequest): Promise<ResendOutcome>;
  /** The password hash, for future login/verification; never shown to anyone. */
  passwordHash(email: string): Promise<string | null>;
}

export interface Outbox {
  enqueue(mail: OutboxMail, now: number): Promise<string>;
  /** Takes up to `limit` due mails and hides them for `leaseMs`, so that two workers never send one mail twice. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]>;
  markSent(id: string): Promise<void>;
  /** Schedules another attempt. */
  markFailed(id: string, nextAttemptAt: number): Promise<void>;
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
