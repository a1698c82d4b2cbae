import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  AccountRepository,
  AccountRequest,
  AccountRequestOutcome,
  AccountSnapshot,
  ConfirmOutcome,
  ConversationRefJson,
  OutboxMail,
  ResendOutcome,
  ResendRequest,
} from '../../domain/accounts/ports';
import { AppError } from '../../errors';
import { storeCall } from './errors';
import { keyPart } from './keys';
import { OUTBOX_DUE, outboxMailKey } from './outbox';
import { defineScript, type RunScript } from './scripts';

export interface RedisAccountStoreOptions {
  /** Must be the prefix of the RedisOutbox that sends the mails: requests enqueue into it. */
  prefix?: string;
  /** How long a token record outlives its link, to tell « expired / used / replaced » from « unknown ». */
  tokenGraceMs?: number;
}

export const DEFAULT_TOKEN_GRACE_MS = 7 * 24 * 3600 * 1000;

/** A sha256 in hex, or any short opaque id: it goes into a key that a Lua script rebuilds. */
const TOKEN_HASH = /^[A-Za-z0-9_-]{1,128}$/;

const REQUEST_OUTCOMES: readonly AccountRequestOutcome[] = ['created', 'replaced', 'already-confirmed'];

/**
 * Accounts on Redis. `acct:<address>` is a hash (status, argon2id PHC, times, current token hash and expiry,
 * outbox id of its mail, conversation JSON); `acct:token:<sha256>` maps a token hash to its account with a
 * state. Neither a password nor a token is ever stored in clear. Each operation that touches several keys
 * is one Lua script (see lua/).
 */
export class RedisAccountStore implements AccountRepository {
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly requestScript: RunScript;
  private readonly confirmScript: RunScript;
  private readonly resendScript: RunScript;

  constructor(
    private readonly redis: Redis,
    options: RedisAccountStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.graceMs = options.tokenGraceMs ?? DEFAULT_TOKEN_GRACE_MS;
    this.requestScript = defineScript(redis, 'request-account');
    this.confirmScript = defineScript(redis, 'confirm');
    this.resendScript = defineScript(redis, 'resend-confirmation');
  }

  /** The keys a new link's script touches (account, token, mail, due set) and its confirmation mail. */
  private newLink(link: Pick<AccountRequest, 'email' | 'tokenHash' | 'sealedToken' | 'tokenExpiresAt'>) {
    if (!TOKEN_HASH.test(link.tokenHash)) throw new AppError('BAD_REQUEST', 'malformed token hash');
    const mailId = randomUUID();
    const confirmation: OutboxMail = {
      kind: 'confirmation',
      to: link.email,
      sealedToken: link.sealedToken,
      expiresAt: link.tokenExpiresAt,
    };
    const keys = [
      this.accountKey(link.email),
      this.tokenKey(link.tokenHash),
      outboxMailKey(this.prefix, mailId),
      `${this.prefix}${OUTBOX_DUE}`,
    ];
    return { mailId, keys, confirmation };
  }

  async requestAccount(request: AccountRequest): Promise<AccountRequestOutcome> {
    const { mailId, keys, confirmation } = this.newLink(request);
    const alreadyConfirmed: OutboxMail = { kind: 'already-confirmed', to: request.email };
    const outcome = await storeCall('account request', () =>
      this.requestScript(keys, [
        request.email,
        request.passwordHash,
        request.tokenHash,
        epochMs(request.tokenExpiresAt),
        epochMs(request.now),
        request.conversation ? JSON.stringify(request.conversation) : '',
        mailId,
        JSON.stringify(confirmation),
        JSON.stringify(alreadyConfirmed),
        this.prefix,
        epochMs(this.graceMs),
      ]),
    );
    if (!REQUEST_OUTCOMES.includes(outcome as AccountRequestOutcome)) {
      throw new AppError('INTERNAL', `unexpected request outcome ${String(outcome)}`);
    }
    return outcome as AccountRequestOutcome;
  }

  async resendConfirmation(request: ResendRequest): Promise<ResendOutcome> {
    const { mailId, keys, confirmation } = this.newLink(request);
    const outcome = await storeCall('account resend', () =>
      this.resendScript(keys, [
        request.email,
        request.tokenHash,
        epochMs(request.tokenExpiresAt),
        epochMs(request.now),
        mailId,
        JSON.stringify(confirmation),
        this.prefix,
        epochMs(this.graceMs),
      ]),
    );
    if (outcome !== 'resent' && outcome !== 'confirmed' && outcome !== 'none') {
      throw new AppError('INTERNAL', `unexpected resend outcome ${String(outcome)}`);
    }
    return outcome;
  }

  async confirm(tokenHash: string, now: number): Promise<ConfirmOutcome> {
    // A malformed hash cannot name any record: answer as for an unknown link, without touching Redis.
    if (!TOKEN_HASH.test(tokenHash)) return { status: 'unknown' };
    const reply = (await storeCall('account confirm', () =>
      this.confirmScript([this.tokenKey(tokenHash)], [epochMs(now), tokenHash, epochMs(this.graceMs)]),
    )) as string[];
    const [status, email, conversation] = reply;
    switch (status) {
      case 'confirmed': {
        if (!email) throw new AppError('INTERNAL', 'confirmed token without address');
        return conversation
          ? { status, email, conversation: JSON.parse(conversation) as ConversationRefJson }
          : { status, email };
      }
      case 'unknown':
      case 'expired':
      case 'used':
      case 'replaced':
        return { status };
      default:
        throw new AppError('INTERNAL', `unexpected confirm outcome ${String(status)}`);
    }
  }

  async find(email: string): Promise<AccountSnapshot | null> {
    const fields = await storeCall('account find', () => this.redis.hgetall(this.accountKey(email)));
    const status = fields.status;
    if (status !== 'pending' && status !== 'confirmed') return null;
    return {
      email,
      status,
      createdAt: Number(fields.createdAt),
      updatedAt: Number(fields.updatedAt),
      ...(fields.confirmedAt ? { confirmedAt: Number(fields.confirmedAt) } : {}),
      ...(status === 'pending' && fields.tokenExpiresAt
        ? { tokenExpiresAt: Number(fields.tokenExpiresAt) }
        : {}),
    };
  }

  async passwordHash(email: string): Promise<string | null> {
    return storeCall('account password', () => this.redis.hget(this.accountKey(email), 'passwordHash'));
  }

  accountKey(email: string): string {
    return `${this.prefix}acct:${keyPart(email)}`;
  }

  tokenKey(tokenHash: string): string {
    return `${this.prefix}acct:token:${tokenHash}`;
  }
}

/** Lua rebuilds numbers from strings; a fraction or an exponent would be silently misread. */
function epochMs(value: number): string {
  if (!Number.isFinite(value)) throw new AppError('INTERNAL', 'time is not a finite number');
  return String(Math.trunc(value));
}

// The outbox shares this store's key prefix and is written by its scripts: one import for both.
export { RedisOutbox, type RedisOutboxOptions } from './outbox';
