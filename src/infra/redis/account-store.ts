import { isDeepStrictEqual } from 'node:util';
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
  OutboxMail,
  ResendOutcome,
  ResendRequest,
} from '../../domain/accounts/ports';
import {
  countRecent,
  MAX_CONFIRM_ATTEMPTS,
  MAX_PENDING_REQUESTS,
  RECENT_REQUESTS_KEPT,
} from '../../domain/accounts/requests';
import { AppError } from '../../errors';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { accountKeys } from './keys';
import { newMailId } from './outbox';
import { defineScript, type RunScript } from './scripts';

export interface RedisAccountStoreOptions {
  /** Must be the prefix of the RedisOutbox that sends the mails: requests enqueue into it. */
  prefix?: string;
  /**
   * How long what a request writes outlives its link (record, pending account, mail), so that an old link
   * can still be told « expired / used / replaced » rather than « unknown ».
   */
  tokenGraceMs?: number;
}

export const DEFAULT_TOKEN_GRACE_MS = 7 * 24 * 3600 * 1000;

/** A sha256 in hex, or any short opaque id: it goes into a key. */
const TOKEN_HASH = /^[A-Za-z0-9_-]{1,128}$/;
/** A conversation tag goes into the `requests` field, whose separators are « , » and « ; ». */
const TAG = /^[A-Za-z0-9_-]{1,64}$/;

const REQUEST_OUTCOMES: readonly AccountRequestOutcome[] = [
  'created',
  'added',
  'replaced',
  'already-confirmed',
  'full',
];
const CLOSED_STATES: readonly ClosedLinkState[] = [
  'unknown',
  'expired',
  'used',
  'replaced',
  'superseded',
  'cancelled',
  'spent',
];

/**
 * A write reads the account's pending requests, then runs its script, which writes nothing if they
 * changed meanwhile. Each round lets at least one of the competing calls through, so this bounds the
 * rounds of any call among that many concurrent requests for one address (far more than the budgets
 * allow).
 */
const MAX_ROUNDS = 32;

interface Entry {
  readonly tag: string;
  readonly hash: string;
  readonly mail: string;
  readonly expiresAt: number;
}

/** The `requests` field, as lib/requests.lua writes it. */
export function parseRequests(text: string): Entry[] {
  return text
    .split(';')
    .filter(Boolean)
    .flatMap((entry) => {
      const [tag, hash, mail, expiresAt] = entry.split(',');
      return tag && hash && mail && expiresAt ? [{ tag, hash, mail, expiresAt: Number(expiresAt) }] : [];
    });
}

/**
 * Accounts on Redis, all under the `{accounts}` hash tag with the outbox (see keys.ts), so that each
 * operation is one Lua script on a Redis Cluster too:
 *
 * - `acct:<address>` — the account: status, times; while pending, `requests` (its pending requests by
 *   conversation: tag, token hash, mail id, expiry) and `recent` (the latest request times); once
 *   confirmed, the confirmed password's argon2id PHC. TTL: its longest link plus the grace while pending,
 *   the `accountExpiresAt` given at confirmation afterwards.
 * - `acct:token:<sha256>` — one request and its link: state, expiry, attempts, and while pending its
 *   password hash, conversation, channel and request time. TTL: validity plus the grace.
 *
 * Neither a password nor a token is ever stored in clear.
 */
export class RedisAccountStore implements AccountRepository {
  private readonly graceMs: number;
  private readonly requestScript: RunScript;
  private readonly attemptScript: RunScript;
  private readonly confirmScript: RunScript;
  private readonly resendScript: RunScript;
  private readonly cancelScript: RunScript;
  private readonly keys: ReturnType<typeof accountKeys>;

  constructor(
    private readonly redis: RedisClient,
    options: RedisAccountStoreOptions = {},
  ) {
    this.graceMs = options.tokenGraceMs ?? DEFAULT_TOKEN_GRACE_MS;
    this.keys = accountKeys(options.prefix ?? '');
    this.requestScript = defineScript(redis, 'request-account');
    this.attemptScript = defineScript(redis, 'confirm-attempt');
    this.confirmScript = defineScript(redis, 'confirm');
    this.resendScript = defineScript(redis, 'resend-confirmation');
    this.cancelScript = defineScript(redis, 'cancel-requests');
  }

  /** The keys of a new link's script (account, record, mail, due set) and its confirmation mail. */
  private newLink(link: Pick<AccountRequest, 'email' | 'tokenHash' | 'sealedToken' | 'tokenExpiresAt'>) {
    if (!TOKEN_HASH.test(link.tokenHash)) throw new AppError('BAD_REQUEST', 'malformed token hash');
    const mailId = newMailId();
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

  /** Each entry's record and mail keys, in the order the scripts expect them. */
  private entryKeys(requests: string): string[] {
    return parseRequests(requests).flatMap((r) => [this.tokenKey(r.hash), this.keys.mail(r.mail)]);
  }

  /**
   * Runs a script with the account's fields read first (their keys go in KEYS); the script answers
   * 'retry' without writing when they changed in between, and this reads again.
   */
  private async withAccount<T>(
    operation: string,
    accountKey: string,
    fields: readonly string[],
    run: (read: Array<string | null>) => Promise<unknown>,
  ): Promise<T> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const outcome = await storeCall(operation, async () =>
        run(await this.redis.hmget(accountKey, ...fields)),
      );
      if (outcome !== 'retry' && !(Array.isArray(outcome) && outcome[0] === 'retry')) return outcome as T;
    }
    throw new AppError('STORE_UNAVAILABLE', `${operation}: too many concurrent writes for one address`);
  }

  async requestAccount(request: AccountRequest): Promise<AccountRequestOutcome> {
    const tag = request.conversationTag ?? '';
    if (tag !== '' && !TAG.test(tag)) throw new AppError('BAD_REQUEST', 'malformed conversation tag');
    const { mailId, keys, confirmation } = this.newLink(request);
    const alreadyConfirmed: OutboxMail = { kind: 'already-confirmed', to: request.email };
    const outcome = await this.withAccount<string>(
      'account request',
      this.accountKey(request.email),
      ['requests', 'noticeMail'],
      ([requests, notice]) =>
        this.requestScript(
          [...keys, ...this.entryKeys(requests ?? '')],
          [
            request.email,
            request.passwordHash,
            request.tokenHash,
            epochMs(request.tokenExpiresAt),
            epochMs(request.now),
            request.conversation ? packReference(request.conversation) : '',
            tag,
            // Kept apart only without a conversation: otherwise its reference says it.
            request.channel && request.channel !== request.conversation?.channelId
              ? request.channel.slice(0, 64)
              : '',
            mailId,
            JSON.stringify(confirmation),
            JSON.stringify(alreadyConfirmed),
            requests ?? '',
            notice ?? '',
            epochMs(this.graceMs),
            MAX_PENDING_REQUESTS,
            RECENT_REQUESTS_KEPT,
          ],
        ),
    );
    if (!REQUEST_OUTCOMES.includes(outcome as AccountRequestOutcome)) {
      throw new AppError('INTERNAL', `unexpected request outcome ${String(outcome)}`);
    }
    return outcome as AccountRequestOutcome;
  }

  async inspectLink(tokenHash: string, now: number): Promise<LinkInspection> {
    if (!TOKEN_HASH.test(tokenHash)) return { status: 'unknown' };
    const record = await storeCall('account link', () => this.redis.hgetall(this.tokenKey(tokenHash)));
    if (!record.account) return { status: 'unknown' };
    const [status, recent] = await storeCall('account link', () =>
      this.redis.hmget(record.account as string, 'status', 'recent'),
    );
    const closed = linkRefusal(record, status ?? null, now);
    if (closed) return { status: closed };
    const times = (recent ?? '').split(',').filter(Boolean).map(Number);
    const channel =
      record.channel ??
      (record.conversation
        ? (unpackReference(record.conversation).channelId as string | undefined)
        : undefined);
    return {
      status: 'open',
      requestedAt: Number(record.requestedAt),
      ...(typeof channel === 'string' && channel ? { channel } : {}),
      expiresAt: Number(record.expiresAt),
      attemptsLeft: Math.max(0, MAX_CONFIRM_ATTEMPTS - (Number(record.attempts) || 0)),
      recentRequests: countRecent(times, now),
    };
  }

  async takeAttempt(tokenHash: string, now: number): Promise<AttemptGrant> {
    if (!TOKEN_HASH.test(tokenHash)) return { status: 'unknown' };
    const tokenKey = this.tokenKey(tokenHash);
    const reply = (await storeCall('account attempt', async () => {
      // The record names its account, which never changes: reading it first is safe.
      const account = await this.redis.hget(tokenKey, 'account');
      if (!account) return ['unknown'];
      return this.attemptScript([tokenKey, account], [epochMs(now), MAX_CONFIRM_ATTEMPTS]);
    })) as string[];
    const [status, passwordHash, left] = reply;
    if (status === 'open' && passwordHash) return { status, passwordHash, attemptsLeft: Number(left) };
    return { status: closedState(status) };
  }

  async confirm(request: ConfirmRequest): Promise<Exclude<ConfirmOutcome, { status: 'wrong-password' }>> {
    if (!TOKEN_HASH.test(request.tokenHash)) return { status: 'unknown' };
    const tokenKey = this.tokenKey(request.tokenHash);
    // The record names its account, which never changes: reading it first is safe.
    const account = await storeCall('account confirm', () => this.redis.hget(tokenKey, 'account'));
    if (!account) return { status: 'unknown' };
    const reply = await this.withAccount<string[]>('account confirm', account, ['requests'], ([requests]) =>
      this.confirmScript(
        [tokenKey, account, this.keys.due, ...this.entryKeys(requests ?? '')],
        [
          epochMs(request.now),
          request.tokenHash,
          requests ?? '',
          epochMs(Math.max(this.graceMs, request.accountExpiresAt - request.now)),
          MAX_CONFIRM_ATTEMPTS,
        ],
      ),
    );
    const [status, confirmedEmail, conversation] = reply;
    if (status !== 'confirmed') return { status: closedState(status) };
    if (!confirmedEmail) throw new AppError('INTERNAL', 'confirmed request without address');
    return conversation
      ? { status, email: confirmedEmail, conversation: unpackReference(conversation) }
      : { status, email: confirmedEmail };
  }

  async resendConfirmation(request: ResendRequest): Promise<ResendOutcome> {
    const { mailId, keys, confirmation } = this.newLink(request);
    const outcome = await this.withAccount<string>(
      'account resend',
      this.accountKey(request.email),
      ['requests'],
      ([requests]) =>
        this.resendScript(
          [...keys, ...this.entryKeys(requests ?? '')],
          [
            request.email,
            request.tokenHash,
            epochMs(request.tokenExpiresAt),
            epochMs(request.now),
            mailId,
            JSON.stringify(confirmation),
            requests ?? '',
            epochMs(this.graceMs),
            request.tag ?? '',
          ],
        ),
    );
    if (outcome !== 'resent' && outcome !== 'confirmed' && outcome !== 'none') {
      throw new AppError('INTERNAL', `unexpected resend outcome ${String(outcome)}`);
    }
    return outcome;
  }

  async cancelPending(email: string, now: number, tag?: string): Promise<CancelOutcome> {
    const reply = await this.withAccount<string[]>(
      'account cancel',
      this.accountKey(email),
      ['requests'],
      ([requests]) =>
        this.cancelScript(
          [this.accountKey(email), this.keys.due, ...this.entryKeys(requests ?? '')],
          [requests ?? '', tag ?? '', epochMs(now), epochMs(this.graceMs)],
        ),
    );
    const [outcome, count] = reply;
    if (outcome === 'cancelled') return { outcome, count: Number(count) };
    if (outcome === 'confirmed' || outcome === 'none') return { outcome };
    throw new AppError('INTERNAL', `unexpected cancel outcome ${String(outcome)}`);
  }

  async find(email: string): Promise<AccountSnapshot | null> {
    const fields = await storeCall('account find', () => this.redis.hgetall(this.accountKey(email)));
    const status = fields.status;
    if (status !== 'pending' && status !== 'confirmed') return null;
    const pending = status === 'pending' ? parseRequests(fields.requests ?? '') : [];
    return {
      email,
      status,
      createdAt: Number(fields.createdAt),
      updatedAt: Number(fields.updatedAt),
      ...(fields.confirmedAt ? { confirmedAt: Number(fields.confirmedAt) } : {}),
      ...(status === 'pending'
        ? {
            tokenExpiresAt: Math.max(0, ...pending.map((r) => r.expiresAt)),
            pendingRequests: pending.length,
          }
        : {}),
    };
  }

  async passwordHash(email: string): Promise<string | null> {
    return storeCall('account password', async () => {
      const [status, confirmed, requests] = await this.redis.hmget(
        this.accountKey(email),
        'status',
        'passwordHash',
        'requests',
      );
      if (status === 'confirmed') return confirmed ?? null;
      const newest = parseRequests(requests ?? '').at(-1);
      return newest ? this.redis.hget(this.tokenKey(newest.hash), 'passwordHash') : null;
    });
  }

  accountKey(email: string): string {
    return this.keys.account(email);
  }

  tokenKey(tokenHash: string): string {
    return this.keys.token(tokenHash);
  }
}

/** What lua/lib/link-state.lua decides, for the read-only page (no script: it writes nothing). */
function linkRefusal(
  record: Record<string, string>,
  accountStatus: string | null,
  now: number,
): ClosedLinkState | undefined {
  const expiresAt = Number(record.expiresAt);
  if (!record.state || !Number.isFinite(expiresAt)) return 'unknown';
  if (record.state !== 'pending') return closedState(record.state);
  if (now >= expiresAt) return 'expired';
  if (accountStatus === 'confirmed') return 'superseded';
  if (accountStatus !== 'pending') return 'unknown';
  if ((Number(record.attempts) || 0) >= MAX_CONFIRM_ATTEMPTS) return 'spent';
  return undefined;
}

function closedState(value: unknown): ClosedLinkState {
  if (CLOSED_STATES.includes(value as ClosedLinkState)) return value as ClosedLinkState;
  throw new AppError('INTERNAL', `unexpected link state ${String(value)}`);
}

/**
 * A compact conversation reference (domain/accounts/requests.ts compactReference) as stored with a
 * pending request: its values in a fixed order, without the field names, `[channel, service URL,
 * conversation, user, bot]` then the tenant and the locale when there are. About half the size of its JSON object,
 * which keeps a pending account within Redis's compact hash encoding (see README › Production).
 */
export function packReference(ref: ConversationRefJson): string {
  const packed = packValues(ref);
  // Anything else than that shape (the store takes any JSON reference) is kept as it is.
  return isDeepStrictEqual(unpackReference(packed), ref) ? packed : JSON.stringify(ref);
}

function packValues(ref: ConversationRefJson): string {
  const id = (value: unknown) => {
    const found = (value as { id?: unknown } | undefined)?.id;
    return typeof found === 'string' ? found : '';
  };
  const tenant = (ref.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  const values = [
    typeof ref.channelId === 'string' ? ref.channelId : '',
    typeof ref.serviceUrl === 'string' ? ref.serviceUrl : '',
    id(ref.conversation),
    id(ref.user),
    id(ref.bot),
  ];
  const locale = typeof ref.locale === 'string' ? ref.locale : '';
  if (typeof tenant === 'string' || locale) values.push(typeof tenant === 'string' ? tenant : '');
  if (locale) values.push(locale);
  return JSON.stringify(values);
}

/** The reference back from packReference (or as a JSON object, as it was stored before). */
export function unpackReference(stored: string): ConversationRefJson {
  const parsed = JSON.parse(stored) as unknown;
  if (!Array.isArray(parsed)) return parsed as ConversationRefJson;
  const [channelId, serviceUrl, conversation, user, bot, tenantId, locale] = parsed as Array<
    string | undefined
  >;
  const ref: Record<string, unknown> = {};
  if (channelId) ref.channelId = channelId;
  if (serviceUrl) ref.serviceUrl = serviceUrl;
  if (conversation) ref.conversation = tenantId ? { id: conversation, tenantId } : { id: conversation };
  if (user) ref.user = { id: user };
  if (bot) ref.bot = { id: bot };
  if (locale) ref.locale = locale;
  return ref;
}

/** Lua rebuilds numbers from strings; a fraction or an exponent would be silently misread. */
function epochMs(value: number): string {
  if (!Number.isFinite(value)) throw new AppError('INTERNAL', 'time is not a finite number');
  return String(Math.trunc(value));
}

// The outbox shares this store's key prefix and is written by its scripts: one import for both.
export { RedisOutbox, type RedisOutboxOptions } from './outbox';
