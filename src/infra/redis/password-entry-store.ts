import {
  type BeginOutcome,
  type ClaimResult,
  type CompleteOutcome,
  type NewPasswordEntry,
  PASSWORD_ENTRY_GRACE_MS,
  PASSWORD_ENTRY_REVOKED_GRACE_MS,
  type PasswordEntryRecord,
  type PasswordEntryStatus,
  type PasswordEntryStore,
} from '../../domain/accounts/password-entry';
import { AppError } from '../../errors';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { defineScript, type RunScript } from './scripts';

export interface RedisPasswordEntryStoreOptions {
  prefix?: string;
  /** How long a record outlives its link, to tell « used / expired / replaced » from « unknown ». */
  graceMs?: number;
}

/** A sha256 in hex, or an entry id (16 random bytes in base64url): both go into keys. */
const KEY_PART = /^[A-Za-z0-9_-]{1,128}$/;
const STATUSES: readonly PasswordEntryStatus[] = ['pending', 'hashing', 'entered', 'claimed', 'revoked'];
const BEGIN_OUTCOMES: readonly BeginOutcome[] = ['hashing', 'busy', 'unknown', 'used', 'expired', 'replaced'];
const OUTCOMES: readonly CompleteOutcome[] = ['entered', 'unknown', 'used', 'expired', 'replaced'];

/**
 * Password-entry links on Redis. `pwentry:token:<sha256>` is a hash (id, email, conversation JSON, expiry,
 * status, and the argon2id PHC between the page's submit and the dialog's claim); `pwentry:id:<id>` points
 * back to its token hash. Each script touches one key only, so that the store works on a Cluster too.
 */
export class RedisPasswordEntryStore implements PasswordEntryStore {
  private readonly prefix: string;
  private readonly graceMs: number;
  private readonly beginScript: RunScript;
  private readonly releaseScript: RunScript;
  private readonly completeScript: RunScript;
  private readonly claimScript: RunScript;
  private readonly consumeScript: RunScript;
  private readonly revokeScript: RunScript;

  constructor(
    private readonly redis: RedisClient,
    options: RedisPasswordEntryStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.graceMs = options.graceMs ?? PASSWORD_ENTRY_GRACE_MS;
    this.beginScript = defineScript(redis, 'password-entry-begin');
    this.releaseScript = defineScript(redis, 'password-entry-release');
    this.completeScript = defineScript(redis, 'password-entry-complete');
    this.claimScript = defineScript(redis, 'password-entry-claim');
    this.consumeScript = defineScript(redis, 'password-entry-consume');
    this.revokeScript = defineScript(redis, 'password-entry-revoke');
  }

  private tokenKey(tokenHash: string): string {
    if (!KEY_PART.test(tokenHash)) throw new AppError('BAD_REQUEST', 'malformed token hash');
    return `${this.prefix}pwentry:token:${tokenHash}`;
  }

  private idKey(id: string): string {
    if (!KEY_PART.test(id)) throw new AppError('BAD_REQUEST', 'malformed entry id');
    return `${this.prefix}pwentry:id:${id}`;
  }

  async create(entry: NewPasswordEntry): Promise<void> {
    // Relative TTL from the application clock: the demo clock sits in 2014, Redis's in the present.
    const ttlMs = Math.max(1, entry.expiresAt - entry.createdAt + this.graceMs);
    const tokenKey = this.tokenKey(entry.tokenHash);
    const idKey = this.idKey(entry.id);
    await storeCall('password entry create', async () => {
      // Record first: an id that points nowhere is harmless, a link without its record would be « unknown ».
      await this.redis
        .multi()
        .hset(tokenKey, {
          id: entry.id,
          email: entry.email,
          conversation: JSON.stringify(entry.conversation),
          expiresAt: String(entry.expiresAt),
          status: 'pending',
        })
        .pexpire(tokenKey, ttlMs)
        .exec();
      await this.redis.set(idKey, entry.tokenHash, 'PX', ttlMs);
    });
  }

  async findByToken(tokenHash: string): Promise<PasswordEntryRecord | null> {
    const key = this.tokenKey(tokenHash);
    const [id, email, conversation, expiresAt, status] = await storeCall('password entry find', () =>
      this.redis.hmget(key, 'id', 'email', 'conversation', 'expiresAt', 'status'),
    );
    if (!id || !email || !expiresAt || !STATUSES.includes(status as PasswordEntryStatus)) return null;
    return {
      id,
      email,
      conversation: conversation ? (JSON.parse(conversation) as PasswordEntryRecord['conversation']) : {},
      expiresAt: Number(expiresAt),
      status: status as PasswordEntryStatus,
    };
  }

  async begin(tokenHash: string, now: number, leaseEnd: number): Promise<BeginOutcome> {
    const key = this.tokenKey(tokenHash);
    const outcome = await storeCall('password entry begin', () => this.beginScript([key], [now, leaseEnd]));
    if (!BEGIN_OUTCOMES.includes(outcome as BeginOutcome)) throw new Error('unexpected script reply');
    return outcome as BeginOutcome;
  }

  async release(tokenHash: string): Promise<void> {
    const key = this.tokenKey(tokenHash);
    await storeCall('password entry release', () => this.releaseScript([key], []));
  }

  async complete(tokenHash: string, passwordHash: string, now: number): Promise<CompleteOutcome> {
    const key = this.tokenKey(tokenHash);
    const outcome = await storeCall('password entry complete', () =>
      this.completeScript([key], [now, passwordHash]),
    );
    if (!OUTCOMES.includes(outcome as CompleteOutcome)) throw new Error('unexpected script reply');
    return outcome as CompleteOutcome;
  }

  async claim(id: string): Promise<ClaimResult> {
    const idKey = this.idKey(id);
    const tokenHash = await storeCall('password entry claim', () => this.redis.get(idKey));
    if (!tokenHash) return null;
    const reply = await storeCall('password entry claim', () =>
      this.claimScript([this.tokenKey(tokenHash)], [id]),
    );
    if (reply === 'consumed') return 'consumed';
    if (!Array.isArray(reply) || typeof reply[0] !== 'string' || typeof reply[1] !== 'string') return null;
    return { email: reply[0], passwordHash: reply[1] };
  }

  async consume(id: string): Promise<void> {
    const idKey = this.idKey(id);
    const tokenHash = await storeCall('password entry consume', () => this.redis.get(idKey));
    if (!tokenHash) return;
    await storeCall('password entry consume', () => this.consumeScript([this.tokenKey(tokenHash)], [id]));
  }

  async revoke(id: string): Promise<void> {
    const idKey = this.idKey(id);
    const tokenHash = await storeCall('password entry revoke', () => this.redis.get(idKey));
    if (!tokenHash) return;
    // Each « renvoyer » leaves a record: a replaced one only needs a short life.
    const keepMs = Math.min(PASSWORD_ENTRY_REVOKED_GRACE_MS, this.graceMs);
    await storeCall('password entry revoke', () =>
      this.revokeScript([this.tokenKey(tokenHash)], [id, keepMs]),
    );
  }
}
