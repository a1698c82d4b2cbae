import type { Redis } from 'ioredis';
import { parseRequests, RedisAccountStore, RedisOutbox } from '../../src/infra/redis/account-store';

/** Every key under `prefix`, found with SCAN (key names are the stores' business, not the tests'). */
export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of batch) found.add(key);
  } while (cursor !== '0');
  return [...found];
}

export interface StoreSnapshot {
  /** Accounts by address, as their hashes hold them. */
  accounts: Map<string, Record<string, string>>;
  /** Token records, by key. */
  tokens: Map<string, Record<string, string>>;
  /** Outbox mail records (the mail JSON parsed), by key. */
  mails: Map<string, { mail: { kind: string; to: string }; attempts: number; deadReason?: string }>;
  queued: number;
  dead: number;
}

/**
 * What the account store and the outbox hold, recognised by the shape of their values (a hash with a
 * `status`, one with `account` and `state`, one with `mail` and `attempts`), so that renaming keys does
 * not change what is checked.
 */
export async function snapshotStore(redis: Redis, prefix: string): Promise<StoreSnapshot> {
  const accounts: StoreSnapshot['accounts'] = new Map();
  const tokens: StoreSnapshot['tokens'] = new Map();
  const mails: StoreSnapshot['mails'] = new Map();
  for (const key of await scanKeys(redis, prefix)) {
    if ((await redis.type(key)) !== 'hash') continue;
    const fields = await redis.hgetall(key);
    if ('mail' in fields && 'attempts' in fields) {
      mails.set(key, {
        mail: JSON.parse(fields.mail as string) as { kind: string; to: string },
        attempts: Number(fields.attempts),
        ...(fields.deadReason ? { deadReason: fields.deadReason } : {}),
      });
    } else if ('account' in fields || ('state' in fields && 'expiresAt' in fields)) {
      tokens.set(key, fields);
    } else if ('status' in fields || 'passwordHash' in fields || 'requests' in fields) {
      accounts.set(fields.email ?? `<no address: ${key}>`, fields);
    }
  }
  const { queued, dead } = await new RedisOutbox(redis, { prefix }).counts();
  return { accounts, tokens, mails, queued, dead };
}

/**
 * No half-created account and no orphan: every account is whole (a confirmed one holds its password, a
 * pending one lists at least one request), every pending request listed exists, is pending with its
 * password and points back to its account, every request record points to an existing account of the
 * same address, and every outbox record is queued or dead and addressed to an existing account. Returns
 * the problems found (an empty list when the store is consistent) and the snapshot.
 */
export async function storeProblems(
  redis: Redis,
  prefix: string,
): Promise<{ problems: string[]; snapshot: StoreSnapshot }> {
  const snapshot = await snapshotStore(redis, prefix);
  const store = new RedisAccountStore(redis, { prefix });
  const problems: string[] = [];

  for (const [email, account] of snapshot.accounts) {
    if (account.status !== 'pending' && account.status !== 'confirmed')
      problems.push(`account ${email} has status ${account.status}`);
    if (!account.createdAt) problems.push(`account ${email} has no creation time`);
    if (account.status === 'confirmed') {
      if (!account.passwordHash?.startsWith('$argon2id$'))
        problems.push(`account ${email} has no password hash`);
      continue;
    }
    const requests = parseRequests(account.requests ?? '');
    if (requests.length === 0) problems.push(`pending account ${email} has no request`);
    for (const request of requests) {
      const token = await redis.hgetall(store.tokenKey(request.hash));
      if (token.state !== 'pending') problems.push(`pending account ${email}: a request is ${token.state}`);
      if (token.email !== email) problems.push(`pending account ${email}: a request names ${token.email}`);
      if (!token.passwordHash?.startsWith('$argon2id$'))
        problems.push(`pending account ${email}: a request has no password hash`);
    }
  }

  for (const [key, token] of snapshot.tokens) {
    const owner = token.account ? await redis.hgetall(token.account) : {};
    // A cancelled request's account is gone on purpose.
    if (!owner.status && token.state !== 'cancelled') problems.push(`token ${key} points to no account`);
    else if (owner.status && owner.email !== token.email)
      problems.push(`token ${key} points to another address`);
  }

  for (const [key, { mail, deadReason }] of snapshot.mails) {
    if (!snapshot.accounts.has(mail.to)) problems.push(`outbox ${key} is addressed to no account`);
    if (deadReason) problems.push(`outbox ${key} was given up: ${deadReason}`);
  }
  if (snapshot.mails.size !== snapshot.queued + snapshot.dead)
    problems.push(
      `${snapshot.mails.size} outbox records, ${snapshot.queued} queued and ${snapshot.dead} dead`,
    );
  return { problems, snapshot };
}
