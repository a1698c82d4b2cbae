import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import type { AccountSnapshot, CancelOutcome, ResendOutcome } from '../../../src/domain/accounts/ports';
import type {
  ConversationSummary,
  StoredActivity,
  TranscriptArchive,
} from '../../../src/domain/transcripts/ports';
import { AppError } from '../../../src/errors';
import { type HelpdeskOptions, helpdeskMount } from '../../../src/http/helpdesk';
import type { HelpdeskAccounts } from '../../../src/http/helpdesk/ports';
import { createHttpServer } from '../../../src/http/server';
import { createArgon2Hasher } from '../../../src/infra/argon2-hasher';
import { RedisAuditLog } from '../../../src/infra/redis/audit';
import { RedisRateLimiter } from '../../../src/infra/redis/rate-limiter';
import { silentLogger } from '../../../src/log';
import type { TestRedis } from '../../support/redis';

export const NOW = new Date('2014-11-20T10:00:00Z');
export const AGENT = { login: 'agent.paris', password: 'Assistance-2014!' };
/** Cheap argon2id parameters: the PHC records them, so the console verifies with them. */
export const testPhc = (password: string) =>
  createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(password);

export const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`, 'utf8').toString('base64')}`;

interface StoredConversation {
  summary: ConversationSummary;
  activities: StoredActivity[];
}

/**
 * The TranscriptArchive contract in memory, filled as the redacting logger would: the real Redis store
 * is built in parallel and will get its own contract tests.
 */
export class InTestArchive implements TranscriptArchive {
  readonly conversations: StoredConversation[] = [];

  add(summary: ConversationSummary, activities: StoredActivity[]): void {
    this.conversations.push({ summary, activities });
  }

  async findByEmail(email: string) {
    return this.conversations.filter((c) => c.summary.email === email).map((c) => c.summary);
  }

  async findByDay(day: string) {
    const parisDay = (iso: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(iso));
    return this.conversations.filter((c) => parisDay(c.summary.created) === day).map((c) => c.summary);
  }

  async summary(channelId: string, conversationId: string) {
    return this.find(channelId, conversationId)?.summary ?? null;
  }

  async activities(channelId: string, conversationId: string) {
    return this.find(channelId, conversationId)?.activities ?? [];
  }

  async deleteByEmail(email: string) {
    const before = this.conversations.length;
    this.conversations.splice(
      0,
      this.conversations.length,
      ...this.conversations.filter((c) => c.summary.email !== email),
    );
    return before - this.conversations.length;
  }

  private find(channelId: string, conversationId: string) {
    return this.conversations.find(
      (c) => c.summary.channelId === channelId && c.summary.conversationId === conversationId,
    );
  }
}

/**
 * Accounts by address, and every resend asked for. Past `resendBudget` resends of one address it answers
 * as the account service does once RULES.resendPerAddress is spent (tested in test/domain/accounts).
 */
export class FakeAccounts implements HelpdeskAccounts {
  readonly snapshots = new Map<string, AccountSnapshot>();
  readonly resent: string[] = [];

  constructor(private readonly resendBudget = Number.POSITIVE_INFINITY) {}

  async status(email: string) {
    return this.snapshots.get(email) ?? null;
  }

  async resend(email: string): Promise<{ outcome: ResendOutcome; linkExpiresAt?: Date }> {
    const snapshot = this.snapshots.get(email);
    if (!snapshot) return { outcome: 'none' };
    if (snapshot.status === 'confirmed') return { outcome: 'confirmed' };
    if (this.resent.filter((e) => e === email).length >= this.resendBudget)
      throw new AppError('RATE_LIMITED', 'resend-addr', { rule: 'resend-addr', retryAfterMs: 20 * 60_000 });
    this.resent.push(email);
    return { outcome: 'resent', linkExpiresAt: new Date(NOW.getTime() + 48 * 3_600_000) };
  }

  /** A pending snapshot's requests are cancelled: the address then has no account. */
  async cancel(email: string): Promise<CancelOutcome> {
    const snapshot = this.snapshots.get(email);
    if (!snapshot) return { outcome: 'none' };
    if (snapshot.status === 'confirmed') return { outcome: 'confirmed' };
    this.snapshots.delete(email);
    return { outcome: 'cancelled', count: snapshot.pendingRequests ?? 1 };
  }
}

export interface Console {
  readonly url: string;
  readonly server: Server;
  readonly audit: RedisAuditLog;
  get(path: string, init?: RequestInit & { auth?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** createHttpServer with the helpdesk mount on port 0, the audit log in the test's Redis prefix. */
export async function startConsole(
  redis: TestRedis,
  overrides: Partial<HelpdeskOptions> & Pick<HelpdeskOptions, 'transcripts' | 'accounts'>,
): Promise<Console> {
  const audit = new RedisAuditLog(redis.redis, { prefix: redis.prefix });
  const users = overrides.users ?? [{ login: AGENT.login, phc: await testPhc(AGENT.password) }];
  const server = createHttpServer(
    {
      messages: async (_req, res) => {
        res.send(404);
      },
      healthy: async () => true,
    },
    silentLogger(),
    [
      helpdeskMount({
        audit,
        clock: { now: () => NOW },
        logger: silentLogger(),
        limiter: new RedisRateLimiter(redis.redis, { prefix: redis.prefix }),
        ...overrides,
        users,
      }),
    ],
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const defaultAuth = basic(AGENT.login, AGENT.password);
  return {
    url,
    server,
    audit,
    get(path, init = {}) {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      const credentials = auth === undefined ? defaultAuth : auth;
      if (credentials !== null) headers.set('Authorization', credentials);
      return fetch(`${url}${path}`, { redirect: 'manual', ...rest, headers });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
