import { randomUUID } from 'node:crypto';
import type {
  AccountRepository,
  AccountRequest,
  AccountRequestOutcome,
  AccountSnapshot,
  AttemptGrant,
  CancelOutcome,
  ClosedLinkState,
  ConfirmOutcome,
  ConfirmRequest,
  ConversationRefJson,
  LinkInspection,
  Outbox,
  OutboxMail,
  QueuedMail,
  ResendOutcome,
  ResendRequest,
} from '../domain/accounts/ports';
import {
  countRecent,
  MAX_CONFIRM_ATTEMPTS,
  MAX_PENDING_REQUESTS,
  RECENT_REQUESTS_KEPT,
} from '../domain/accounts/requests';

interface Account {
  email: string;
  status: 'pending' | 'confirmed';
  createdAt: number;
  updatedAt: number;
  confirmedAt?: number;
  /** The confirmed password; pending passwords live in their requests. */
  passwordHash?: string;
  /** Token hashes of the pending requests, oldest first. */
  pending: string[];
  /** Times of the latest requests, for the page's « several requests » warning. */
  recent: number[];
  /** The « already confirmed » mail waiting in the outbox, if any (at most one at a time). */
  noticeMailId?: string;
}

/** A confirmation link and the request it carries. */
interface LinkRecord {
  email: string;
  state: Exclude<ClosedLinkState, 'unknown' | 'expired' | 'spent'> | 'pending';
  expiresAt: number;
  requestedAt: number;
  /** Dropped once the link is closed: only a pending request needs it. */
  passwordHash?: string;
  conversation?: ConversationRefJson;
  conversationTag?: string;
  channel?: string;
  attempts: number;
  mailId: string;
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
 * Accounts, their pending requests and the outbox in one object, so that writing a request and queueing
 * its mail is one step, as the Redis scripts do. Every method does all its work before its first await,
 * which makes it atomic on Node's single thread. For the embedded mode and tests only: nothing is ever
 * evicted (Redis expires what this keeps).
 */
export class MemoryAccountStore implements AccountRepository, Outbox {
  private readonly accounts = new Map<string, Account>();
  private readonly links = new Map<string, LinkRecord>();
  private readonly queue = new Map<string, Entry>();
  private readonly dead = new Map<string, Entry & { reason: string }>();
  private seq = 0;

  async requestAccount(request: AccountRequest): Promise<AccountRequestOutcome> {
    const existing = this.accounts.get(request.email);
    if (existing?.status === 'confirmed') {
      // One « already confirmed » mail waits at a time: repeated requests do not pile them up.
      if (existing.noticeMailId === undefined || !this.queue.has(existing.noticeMailId))
        existing.noticeMailId = this.push({ kind: 'already-confirmed', to: request.email }, request.now);
      return 'already-confirmed';
    }

    // Decide everything before writing anything: a refused request changes nothing.
    const live: string[] = [];
    const expired: string[] = [];
    let sameConversation: string | undefined;
    for (const hash of existing?.pending ?? []) {
      const link = this.links.get(hash);
      if (!link) continue;
      if (request.now >= link.expiresAt) expired.push(hash);
      else if (request.conversationTag !== undefined && link.conversationTag === request.conversationTag)
        sameConversation = hash;
      else live.push(hash);
    }
    let dropped: string | undefined;
    if (live.length >= MAX_PENDING_REQUESTS) {
      dropped = live.find((hash) => !this.queue.has(this.links.get(hash)?.mailId ?? ''));
      if (dropped === undefined) return 'full';
    }

    for (const hash of expired) this.withdrawMail(hash);
    for (const hash of [sameConversation, dropped]) if (hash) this.close(hash, 'replaced');
    this.issueLink(request, {
      requestedAt: request.now,
      passwordHash: request.passwordHash,
      ...(request.conversation ? { conversation: request.conversation } : {}),
      ...(request.conversationTag ? { conversationTag: request.conversationTag } : {}),
      ...(request.channel ? { channel: request.channel } : {}),
    });
    const pending = [...live.filter((hash) => hash !== dropped), request.tokenHash];
    const recent = [...(existing?.recent ?? []), request.now].slice(-RECENT_REQUESTS_KEPT);
    this.accounts.set(request.email, {
      email: request.email,
      status: 'pending',
      createdAt: existing?.createdAt ?? request.now,
      updatedAt: request.now,
      pending,
      recent,
    });
    if (sameConversation) return 'replaced';
    return existing ? 'added' : 'created';
  }

  async inspectLink(tokenHash: string, now: number): Promise<LinkInspection> {
    const link = this.links.get(tokenHash);
    const account = link && this.accounts.get(link.email);
    const closed = this.closedState(link, account, now);
    if (closed || !link || !account) return { status: closed ?? 'unknown' };
    return {
      status: 'open',
      requestedAt: link.requestedAt,
      ...(link.channel ? { channel: link.channel } : {}),
      expiresAt: link.expiresAt,
      attemptsLeft: MAX_CONFIRM_ATTEMPTS - link.attempts,
      recentRequests: countRecent(account.recent, now),
    };
  }

  async takeAttempt(tokenHash: string, now: number): Promise<AttemptGrant> {
    const link = this.links.get(tokenHash);
    const account = link && this.accounts.get(link.email);
    const closed = this.closedState(link, account, now);
    if (closed || !link?.passwordHash) return { status: closed ?? 'unknown' };
    link.attempts += 1;
    return {
      status: 'open',
      passwordHash: link.passwordHash,
      attemptsLeft: MAX_CONFIRM_ATTEMPTS - link.attempts,
    };
  }

  async confirm(request: ConfirmRequest): Promise<Exclude<ConfirmOutcome, { status: 'wrong-password' }>> {
    const { tokenHash, now } = request;
    const link = this.links.get(tokenHash);
    const account = link && this.accounts.get(link.email);
    // Attempts were counted when taken: the one that verified may be the last.
    const closed = this.closedState(link, account, now, { ignoreAttempts: true });
    if (closed || !link || !account || !link.passwordHash) return { status: closed ?? 'unknown' };

    for (const other of account.pending) if (other !== tokenHash) this.close(other, 'superseded');
    this.withdrawMail(tokenHash);
    const conversation = link.conversation;
    account.status = 'confirmed';
    account.passwordHash = link.passwordHash;
    account.confirmedAt = now;
    account.updatedAt = now;
    account.pending = [];
    this.close(tokenHash, 'used');
    return { status: 'confirmed', email: link.email, ...(conversation ? { conversation } : {}) };
  }

  async resendConfirmation(request: ResendRequest): Promise<ResendOutcome> {
    const account = this.accounts.get(request.email);
    if (!account) return 'none';
    if (account.status === 'confirmed') return 'confirmed';
    let at = account.pending.length - 1;
    while (
      request.tag &&
      at >= 0 &&
      this.links.get(account.pending[at] ?? '')?.conversationTag !== request.tag
    )
      at -= 1;
    const newest = at < 0 ? undefined : account.pending[at];
    const link = newest === undefined ? undefined : this.links.get(newest);
    if (!newest || !link?.passwordHash || link.state !== 'pending') return 'none';
    const { passwordHash, conversation, conversationTag, channel, requestedAt } = link;
    this.close(newest, 'replaced');
    this.issueLink(request, {
      requestedAt,
      passwordHash,
      ...(conversation ? { conversation } : {}),
      ...(conversationTag ? { conversationTag } : {}),
      ...(channel ? { channel } : {}),
    });
    account.pending = account.pending.map((hash, i) => (i === at ? request.tokenHash : hash));
    account.updatedAt = request.now;
    return 'resent';
  }

  async cancelPending(email: string, now: number, tag?: string): Promise<CancelOutcome> {
    const account = this.accounts.get(email);
    if (!account) return { outcome: 'none' };
    if (account.status === 'confirmed') return { outcome: 'confirmed' };
    const cancelled = account.pending.filter((hash) => !tag || this.links.get(hash)?.conversationTag === tag);
    if (cancelled.length === 0) return { outcome: 'none' };
    for (const hash of cancelled) this.close(hash, 'cancelled');
    account.pending = account.pending.filter((hash) => !cancelled.includes(hash));
    account.updatedAt = now;
    if (account.pending.length === 0) this.accounts.delete(email);
    return { outcome: 'cancelled', count: cancelled.length };
  }

  async find(email: string): Promise<AccountSnapshot | null> {
    const account = this.accounts.get(email);
    if (!account) return null;
    const expiries = account.pending.map((hash) => this.links.get(hash)?.expiresAt ?? 0);
    return {
      email,
      status: account.status,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
      ...(account.confirmedAt !== undefined ? { confirmedAt: account.confirmedAt } : {}),
      ...(account.status === 'pending'
        ? { tokenExpiresAt: Math.max(...expiries), pendingRequests: account.pending.length }
        : {}),
    };
  }

  async passwordHash(email: string): Promise<string | null> {
    const account = this.accounts.get(email);
    if (!account) return null;
    if (account.status === 'confirmed') return account.passwordHash ?? null;
    const newest = account.pending.at(-1);
    return (newest && this.links.get(newest)?.passwordHash) ?? null;
  }

  /** Why a link cannot take a password now, or undefined when it can. */
  private closedState(
    link: LinkRecord | undefined,
    account: Account | undefined,
    now: number,
    options: { ignoreAttempts?: boolean } = {},
  ): ClosedLinkState | undefined {
    if (!link) return 'unknown';
    // What happened to the link matters more to the teacher than its age.
    if (link.state !== 'pending') return link.state;
    if (now >= link.expiresAt) return 'expired';
    if (!account) return 'unknown';
    if (account.status === 'confirmed') return 'superseded';
    if (!options.ignoreAttempts && link.attempts >= MAX_CONFIRM_ATTEMPTS) return 'spent';
    return undefined;
  }

  /** The link stops working and forgets its password; its mail, if not sent yet, is withdrawn. */
  private close(tokenHash: string, state: LinkRecord['state']): void {
    const link = this.links.get(tokenHash);
    if (!link) return;
    this.withdrawMail(tokenHash);
    if (link.state !== 'pending') return;
    link.state = state;
    link.passwordHash = undefined;
    link.conversation = undefined;
  }

  private withdrawMail(tokenHash: string): void {
    const link = this.links.get(tokenHash);
    if (link) this.queue.delete(link.mailId);
  }

  /** A pending link record and its confirmation mail in the outbox; returns the mail id. */
  private issueLink(
    link: Pick<AccountRequest, 'email' | 'tokenHash' | 'sealedToken' | 'tokenExpiresAt' | 'now'>,
    request: Pick<
      LinkRecord,
      'requestedAt' | 'passwordHash' | 'conversation' | 'conversationTag' | 'channel'
    >,
  ): string {
    const mailId = this.push(
      { kind: 'confirmation', to: link.email, sealedToken: link.sealedToken, expiresAt: link.tokenExpiresAt },
      link.now,
    );
    this.links.set(link.tokenHash, {
      email: link.email,
      state: 'pending',
      expiresAt: link.tokenExpiresAt,
      attempts: 0,
      mailId,
      ...request,
    });
    return mailId;
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

  async postpone(id: string, until: number): Promise<void> {
    const entry = this.queue.get(id);
    if (entry) entry.availableAt = until;
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
