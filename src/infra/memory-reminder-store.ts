import {
  type ClaimedReminder,
  REMINDER_KINDS,
  type Reminder,
  type ReminderKind,
  type ReminderStore,
} from '../domain/reminders/ports';

/** Embedded mode and tests: the same semantics in one process (claimed means gone from the queue). */
export class MemoryReminderStore implements ReminderStore {
  private readonly due = new Map<string, number>();
  private readonly records = new Map<string, { reminder: Reminder; attempts: number }>();

  async schedule(reminder: Reminder): Promise<void> {
    this.records.set(reminder.id, { reminder, attempts: 0 });
    this.due.set(reminder.id, reminder.dueAt);
  }

  async cancel(conversationTag: string, kinds: readonly ReminderKind[] = REMINDER_KINDS): Promise<number> {
    let count = 0;
    for (const kind of kinds) {
      const id = `${conversationTag}:${kind}`;
      if (this.due.delete(id)) count += 1;
      this.records.delete(id);
    }
    return count;
  }

  async scheduled(conversationTag: string): Promise<Reminder[]> {
    return REMINDER_KINDS.map((kind) => `${conversationTag}:${kind}`)
      .filter((id) => this.due.has(id))
      .flatMap((id) => {
        const record = this.records.get(id);
        return record ? [record.reminder] : [];
      });
  }

  async claimDue(now: number, limit: number): Promise<ClaimedReminder[]> {
    const ids = [...this.due.entries()]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, Math.max(1, limit))
      .map(([id]) => id);
    const claimed: ClaimedReminder[] = [];
    for (const id of ids) {
      this.due.delete(id);
      const record = this.records.get(id);
      if (record) claimed.push({ ...record.reminder, attempts: record.attempts });
    }
    return claimed;
  }

  async done(id: string): Promise<void> {
    this.records.delete(id);
  }

  async retry(reminder: ClaimedReminder, retryAt: number): Promise<void> {
    const record = this.records.get(reminder.id);
    if (!record) return;
    record.attempts = reminder.attempts + 1;
    this.due.set(reminder.id, retryAt);
  }
}
