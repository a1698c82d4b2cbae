import { randomUUID } from 'node:crypto';
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
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { accountKeys } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisAccountStoreOptions {
  /** Must be the prefix of the RedisOutbox that sends the mails: requests enqueue into it. */
  prefix?: string;
  /** How long a token record outlives its link, to tell « expired / used / replaced » from « unknown ». */
  tokenGraceMs?: number;
}

export const DEFAULT_TOKEN_GRACE_MS = 7 * 24 * 3600 * 1000;

/** A sha256 in hex, or any short opaque id: it goes into a key. */
const TOKEN_HASH = /^[A-Za-z0-9_-]{1,128}$/;

const REQUEST_OUTCOMES: readonly AccountRequestOutcome[] = ['created', 'replaced', 'already-confirmed'];

/**
 * A request or resend reads the current link, then runs its script, which writes nothing if the link
 * changed meanwhile. Each round lets at least one of the competing calls through, so this bounds the
 * rounds of any call among that many concurrent requests for one address (far more than the rate limits
 * allow).
 */
const MAX_LINK_ROUNDS = 32;

/**
 * Accounts on Redis. `acct:<address>` is a hash (status, argon2id PHC, times, current token hash and expiry,
 * outbox id of its mail, conversation JSON); `acct:token:<sha256>` maps a token hash to its account with a
 * state. Neither a password nor a token is ever stored in clear. Each operation that touches several keys
 * is one Lua script (see lua/), and every key, with the outbox's, carries the `{accounts}` hash tag so that
 * those scripts run on a Redis Cluster too (see keys.ts).
 */
export class RedisAccountStore implements AccountRepository {
  private readonly graceMs: number;
  private readonly requestScript: RunScript;
  private readonly confirmScript: RunScript;
  private readonly resendScript: RunScript;
  private readonly keys: ReturnType<typeof accountKeys>;

  constructor(
    private readonly redis: RedisClient,
    options: RedisAccountStoreOptions = {},
  ) {
    this.graceMs = options.tokenGraceMs ?? DEFAULT_TOKEN_GRACE_MS;
    this.keys = accountKeys(options.prefix ?? '');
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
      this.keys.mail(mailId),
      this.keys.due,
    ];
    return { mailId, keys, confirmation };
  }

  /**
   * Runs a link script with the account's current link read first: its token record and mail keys are
   * passed to the script, which answers 'retry' without writing if they changed in between.
   */
  private async withCurrentLink(
    operation: string,
    email: string,
    run: (previous: { keys: string[]; hash: string; mail: string }) => Promise<unknown>,
  ): Promise<unknown> {
    for (let round = 0; round < MAX_LINK_ROUNDS; round++) {
      const outcome = await storeCall(operation, async () => {
        const [hash, mail] = await this.redis.hmget(this.accountKey(email), 'tokenHash', 'outboxId');
        const keys: string[] = [];
        if (hash) keys.push(this.tokenKey(hash));
        if (mail) keys.push(this.keys.mail(mail));
        return run({ keys, hash: hash ?? '', mail: mail ?? '' });
      });
      if (outcome !== 'retry') return outcome;
    }
    throw new AppError('STORE_UNAVAILABLE', `${operation}: too many concurrent requests for one address`);
  }

  async requestAccount(request: AccountRequest): Promise<AccountRequestOutcome> {
    const { mailId, keys, confirmation } = this.newLink(request);
    const alreadyConfirmed: OutboxMail = { kind: 'already-confirmed', to: request.email };
    const outcome = await this.withCurrentLink('account request', request.email, (previous) =>
      this.requestScript(
        [...keys, ...previous.keys],
        [
          request.email,
          request.passwordHash,
          request.tokenHash,
          epochMs(request.tokenExpiresAt),
          epochMs(request.now),
          request.conversation ? JSON.stringify(request.conversation) : '',
          mailId,
          JSON.stringify(confirmation),
          JSON.stringify(alreadyConfirmed),
          previous.hash,
          previous.mail,
          epochMs(this.graceMs),
        ],
      ),
    );
    if (!REQUEST_OUTCOMES.includes(outcome as AccountRequestOutcome)) {
      throw new AppError('INTERNAL', `unexpected request outcome ${String(outcome)}`);
    }
    return outcome as AccountRequestOutcome;
  }

  async resendConfirmation(request: ResendRequest): Promise<ResendOutcome> {
    const { mailId, keys, confirmation } = this.newLink(request);
    const outcome = await this.withCurrentLink('account resend', request.email, (previous) =>
      this.resendScript(
        [...keys, ...previous.keys],
        [
          request.email,
          request.tokenHash,
          epochMs(request.tokenExpiresAt),
          epochMs(request.now),
          mailId,
          JSON.stringify(confirmation),
          previous.hash,
          previous.mail,
          epochMs(this.graceMs),
        ],
      ),
    );
    if (outcome !== 'resent' && outcome !== 'confirmed' && outcome !== 'none') {
      throw new AppError('INTERNAL', `unexpected resend outcome ${String(outcome)}`);
    }
    return outcome;
  }

  async confirm(tokenHash: string, now: number): Promise<ConfirmOutcome> {
    // A malformed hash cannot name any record: answer as for an unknown link, without touching Redis.
    if (!TOKEN_HASH.test(tokenHash)) return { status: 'unknown' };
    const tokenKey = this.tokenKey(tokenHash);
    const reply = (await storeCall('account confirm', async () => {
      // The record names its account; a record's account never changes, so reading it first is safe.
      const account = await this.redis.hget(tokenKey, 'account');
      if (!account) return ['unknown'];
      return this.confirmScript([tokenKey, account], [epochMs(now), tokenHash, epochMs(this.graceMs)]);
    })) as string[];
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
    return this.keys.account(email);
  }

  tokenKey(tokenHash: string): string {
    return this.keys.token(tokenHash);
  }
}

/** Lua rebuilds numbers from strings; a fraction or an exponent would be silently misread. */
function epochMs(value: number): string {
  if (!Number.isFinite(value)) throw new AppError('INTERNAL', 'time is not a finite number');
  return String(Math.trunc(value));
}

// The outbox shares this store's key prefix and is written by its scripts: one import for both.
export { RedisOutbox, type RedisOutboxOptions } from './outbox';
