import type { AuditEntry, AuditLog } from '../http/helpdesk/ports';

/** The audit log of the embedded mode (no Redis): capped like the Redis one, lost on restart. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly maxEntries = 10_000) {}

  async record(entry: AuditEntry): Promise<void> {
    this.entries.unshift({ ...entry });
    if (this.entries.length > this.maxEntries) this.entries.length = this.maxEntries;
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    return this.entries.slice(0, Math.max(0, limit)).map((e) => ({ ...e }));
  }
}
