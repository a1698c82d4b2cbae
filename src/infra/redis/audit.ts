import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditLog } from '../../http/helpdesk/ports';
import type { RedisClient } from './client';
import { storeCall } from './errors';

export interface RedisAuditOptions {
  readonly prefix?: string;
  /** Entries kept; the oldest go first. 10 000 covers a campaign of ordinary helpdesk use. */
  readonly maxEntries?: number;
}

const ACTIONS = new Set<string>(AUDIT_ACTIONS);

/**
 * The helpdesk audit log as one capped Redis list, newest first. LPUSH and LTRIM in one MULTI, so the
 * list never grows past its cap even with several instances writing.
 */
export class RedisAuditLog implements AuditLog {
  private readonly key: string;
  private readonly maxEntries: number;

  constructor(
    private readonly redis: RedisClient,
    options: RedisAuditOptions = {},
  ) {
    this.key = `${options.prefix ?? ''}helpdesk:audit`;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async record(entry: AuditEntry): Promise<void> {
    const line = JSON.stringify({
      at: entry.at,
      login: entry.login,
      action: entry.action,
      target: entry.target,
    });
    await storeCall('audit.record', async () => {
      const results = await this.redis
        .multi()
        .lpush(this.key, line)
        .ltrim(this.key, 0, this.maxEntries - 1)
        .exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const lines = await storeCall('audit.recent', () => this.redis.lrange(this.key, 0, limit - 1));
    return lines.flatMap((line) => {
      const entry = parseEntry(line);
      return entry ? [entry] : [];
    });
  }
}

/** A line that is not one of ours (hand-edited, older format) is skipped rather than breaking the page. */
function parseEntry(line: string): AuditEntry | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const { at, login, action, target } = value;
    if (typeof at !== 'string' || typeof login !== 'string' || typeof target !== 'string') return undefined;
    if (typeof action !== 'string' || !ACTIONS.has(action)) return undefined;
    return { at, login, action: action as AuditAction, target };
  } catch {
    return undefined;
  }
}
