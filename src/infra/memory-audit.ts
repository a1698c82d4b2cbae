import {
  AUDIT_RETENTION_MS,
  type AuditEntry,
  type AuditLog,
  type AuditPage,
  type AuditRecord,
  FAILED_ADDRESSES_PER_HOUR,
  hourOf,
  newestEntries,
  OTHER_ADDRESSES,
} from '../domain/audit/ports';

interface Item {
  readonly atMs: number;
  readonly entry?: AuditEntry;
  readonly failures?: { address: string; failed: number; blocked: number };
}

/**
 * The audit log of the embedded mode (no Redis), lost on restart: the same rules as the Redis one, kept
 * by time (trimmed by age on every write, never by count), failed logins counted per (hour, address)
 * with the same cap of distinct addresses per hour.
 */
export class MemoryAuditLog implements AuditLog {
  /** Oldest first: new entries are appended; an hour's counters are inserted at the hour's start. */
  private items: Item[] = [];
  private readonly retentionMs: number;
  private readonly addressesPerHour: number;

  constructor(options: { retentionMs?: number; addressesPerHour?: number } = {}) {
    this.retentionMs = options.retentionMs ?? AUDIT_RETENTION_MS;
    this.addressesPerHour = options.addressesPerHour ?? FAILED_ADDRESSES_PER_HOUR;
  }

  async record(entry: AuditEntry): Promise<void> {
    const atMs = Date.parse(entry.at);
    if (!Number.isFinite(atMs)) throw new RangeError('audit entry without a valid time');
    this.insert({ atMs, entry: { ...entry, ...(entry.scope ? { scope: [...entry.scope] } : {}) } });
    this.trim(atMs);
  }

  async countFailedLogin(address: string, kind: 'failed' | 'blocked', atMs: number): Promise<void> {
    const hour = hourOf(atMs);
    const ofHour = this.items.filter((item) => item.atMs === hour && item.failures);
    const counter =
      ofHour.find((item) => item.failures?.address === address) ??
      (ofHour.length >= this.addressesPerHour
        ? ofHour.find((item) => item.failures?.address === OTHER_ADDRESSES)
        : undefined);
    const failures = counter?.failures ?? {
      address: ofHour.length >= this.addressesPerHour ? OTHER_ADDRESSES : address,
      failed: 0,
      blocked: 0,
    };
    if (!counter) this.insert({ atMs: hour, failures });
    failures[kind] += 1;
    this.trim(atMs);
  }

  async page(query: { readonly limit: number; readonly before?: number }): Promise<AuditPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const before = query.before ?? Number.POSITIVE_INFINITY;
    const older = this.items.filter((item) => item.atMs < before).reverse();
    const last = older[limit - 1]?.atMs;
    const shown = last === undefined ? older : older.filter((item) => item.atMs >= last);
    const records = shown.map(
      (item): AuditRecord =>
        item.entry
          ? { ...item.entry }
          : {
              action: 'login.failed',
              at: new Date(item.atMs).toISOString(),
              address: item.failures?.address ?? OTHER_ADDRESSES,
              failed: item.failures?.failed ?? 0,
              blocked: item.failures?.blocked ?? 0,
            },
    );
    return last !== undefined && older.length > shown.length ? { records, next: last } : { records };
  }

  recent(limit: number): Promise<AuditEntry[]> {
    return newestEntries(this, limit);
  }

  /** Keeps time order: after every item at or before its time (entries arrive in order, so: appended). */
  private insert(item: Item): void {
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1] as Item).atMs > item.atMs) i -= 1;
    this.items.splice(i, 0, item);
  }

  private trim(nowMs: number): void {
    const horizon = nowMs - this.retentionMs;
    const kept = this.items.findIndex((item) => item.atMs >= horizon);
    if (kept === -1) this.items = [];
    else if (kept > 0) this.items.splice(0, kept);
  }
}
