import type { Clock } from '../clock';
import type { ClientDirectory } from '../domain/limits/clients';

/** Embedded mode: the same pairs in memory, forgotten after their time, and bounded in number. */
export class MemoryClientDirectory implements ClientDirectory {
  private readonly pairs = new Map<string, { clientKey: string; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max = 10_000,
  ) {}

  async remember(userId: string, clientKey: string, ttlMs: number): Promise<void> {
    // The oldest pair goes first: a map keeps insertion order.
    if (this.pairs.size >= this.max) this.pairs.delete(this.pairs.keys().next().value as string);
    this.pairs.set(userId, { clientKey, until: this.clock.now().getTime() + ttlMs });
  }

  async clientOf(userId: string): Promise<string | undefined> {
    const pair = this.pairs.get(userId);
    if (!pair) return undefined;
    if (pair.until <= this.clock.now().getTime()) {
      this.pairs.delete(userId);
      return undefined;
    }
    return pair.clientKey;
  }
}
