import { randomUUID } from 'node:crypto';
import type {
  AccountRepository,
  AccountRequest,
  AccountRequestOutcome,
  AccountSnapshot,
  ConfirmOutcome,
  ConversationRefJson,
  Outbox,
  OutboxMail,
  QueuedMail,
  ResendOutcome,
  ResendRequest,
} from './ports';

interface Account {
  status: 'pending' | 'confirmed';
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
  confirmedAt?: number;
  tokenHash?: string;
  tokenExpiresAt?: number;
  /** The outbox entry of the current confirmation mail, withdrawn when the link is replaced. */
  mailId?: string;
  conversation?: ConversationRefJson;
}

interface TokenEntry {
  email: string;
  expiresAt: number;
  state: 'current' | 'replaced' | 'used';
}

interface Entry {
  id: string;
  mail: OutboxMail;
  attempts: number;
  /** Due time, pushed forward by a lease or a failed attempt. */
  availableAt: number;
  /** Keeps claims first-in first-out among mails due at the same time. */
  seq: number;
}

/**
 * Accounts and outbox in one object, so that writing an account and queueing its mail is one step, as
 * the Redis transaction does. Every method does all its work before its first await, which makes it
 * atomic on Node's single thread. For the embedded mode and tests only: nothing is ever evicted.
 */
export class MemoryAccountStore implements AccountRepository, Outbox {
  private readonly accounts = new Map<string, Account>();
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly queue = new Map<string, Entry>();
  private readonly dead = new Map<string, Entry & { reason: string }>();
  private seq = 0;

  async requestAccount(request: AccountRequest): Promise<AccountRequestOutcome> {
    const existing = this.accounts.get(request.email);
    if (existing?.status === 'confirmed') {
      this.push({ kind: 'already-confirmed', to: request.email }, request.now);
      return 'already-confirmed';
    }
    if (existing) this.retireLink(existing);
    const mailId = this.issueLink(request);
    this.accounts.set(request.email, {
      status: 'pending',
      passwordHash: request.passwordHash,
      createdAt: existing?.createdAt ?? request.now,
      updatedAt: request.now,
      tokenHash: request.tokenHash,
      tokenExpiresAt: request.tokenExpiresAt,
      mailId,
      ...(request.conversation ? { conversation: request.conversation } : {}),
    });
    return existing ? 'replaced' : 'created';
  }

  async resendConfirmation(request: ResendRequest): Promise<ResendOutcome> {
    const account = this.accounts.get(request.email);
    if (!account) return 'none';
    if (account.status === 'confirmed') return 'confirmed';
    this.retireLink(account);
    account.mailId = this.issueLink(request);
    account.tokenHash = request.tokenHash;
    account.tokenExpiresAt = request.tokenExpiresAt;
    account.updatedAt = request.now;
    return 'resent';
  }

  /** The previous link answers « replaced » and its unsent mail is withdrawn. */
  private retireLink(account: Account): void {
    const old = account.tokenHash === undefined ? undefined : this.tokens.get(account.tokenHash);
    if (old) old.state = 'replaced';
    if (account.mailId !== undefined) this.queue.delete(account.mailId);
  }

  /** A current token record and its confirmation mail in the outbox; returns the mail id. */
  private issueLink(
    link: Pick<AccountRequest, 'email' | 'tokenHash' | 'sealedToken' | 'tokenExpiresAt' | 'now'>,
  ): string {
    this.tokens.set(link.tokenHash, { email: link.email, expiresAt: link.tokenExpiresAt, state: 'current' });
    return this.push(
      { kind: 'confirmation', to: link.email, sealedToken: link.sealedToken, expiresAt: link.tokenExpiresAt },
      link.now,
    );
  }

  async confirm(tokenHash: string, now: number): Promise<ConfirmOutcome> {
    const token = this.tokens.get(tokenHash);
    const account = token && this.accounts.get(token.email);
    if (!token || !account) return { status: 'unknown' };
    if (token.state !== 'current') return { status: token.state };
    if (now >= token.expiresAt) return { status: 'expired' };

    token.state = 'used';
    account.status = 'confirmed';
    account.confirmedAt = now;
    account.updatedAt = now;
    account.tokenExpiresAt = undefined;
    account.mailId = undefined;
    return {
      status: 'confirmed',
      email: token.email,
      ...(account.conversation ? { conversation: account.conversation } : {}),
    };
  }

  async find(email: string): Promise<AccountSnapshot | null> {
    const account = this.accounts.get(email);
    if (!account) return null;
    return {
      email,
      status: account.status,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
      ...(account.confirmedAt !== undefined ? { confirmedAt: account.confirmedAt } : {}),
      ...(account.status === 'pending' ? { tokenExpiresAt: account.tokenExpiresAt } : {}),
    };
  }

  async passwordHash(email: string): Promise<string | null> {
    return this.accounts.get(email)?.passwordHash ?? null;
  }

  async enqueue(mail: OutboxMail, now: number): Promise<string> {
    return this.push(mail, now);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]> {
    const due = [...this.queue.values()]
      .filter((entry) => entry.availableAt <= now)
      .sort((a, b) => a.availableAt - b.availableAt || a.seq - b.seq)
      .slice(0, Math.max(0, limit));
    for (const entry of due) entry.availableAt = now + leaseMs;
    return due.map(({ id, mail, attempts }) => ({ id, mail, attempts }));
  }

  /** Unknown ids are ignored: the mail may have been withdrawn while a worker was sending it. */
  async markSent(id: string): Promise<void> {
    this.queue.delete(id);
  }

  async markFailed(id: string, nextAttemptAt: number): Promise<void> {
    const entry = this.queue.get(id);
    if (!entry) return;
    entry.attempts += 1;
    entry.availableAt = nextAttemptAt;
  }

  async markDead(id: string, reason: string): Promise<void> {
    const entry = this.queue.get(id);
    if (!entry) return;
    this.queue.delete(id);
    this.dead.set(id, { ...entry, reason });
  }

  async counts(): Promise<{ queued: number; dead: number }> {
    return { queued: this.queue.size, dead: this.dead.size };
  }

  private push(mail: OutboxMail, now: number): string {
    const id = randomUUID();
    this.queue.set(id, { id, mail, attempts: 0, availableAt: now, seq: this.seq++ });
    return id;
  }
}
