import {
  HANDOFF_MESSAGES_KEPT,
  type Handoff,
  type HandoffMessage,
  type HandoffStore,
  type TakeOutcome,
} from '../domain/handoff/ports';

/** Embedded mode and tests: the same queue in one process. */
export class MemoryHandoffStore implements HandoffStore {
  private readonly handoffs = new Map<string, Handoff>();
  private readonly logs = new Map<string, HandoffMessage[]>();
  private sequence = 0;

  async request(handoff: Omit<Handoff, 'status' | 'since'>, now: number): Promise<'queued' | 'already'> {
    const key = keyOf(handoff.channelId, handoff.conversationId);
    if (this.handoffs.has(key)) return 'already';
    const { agent: _agent, lastAgentAt: _last, ...rest } = handoff;
    this.handoffs.set(key, { ...rest, status: 'waiting', since: now });
    return 'queued';
  }

  async get(channelId: string, conversationId: string): Promise<Handoff | null> {
    return this.handoffs.get(keyOf(channelId, conversationId)) ?? null;
  }

  async list(): Promise<Handoff[]> {
    return [...this.handoffs.values()].sort((a, b) => a.since - b.since);
  }

  async take(channelId: string, conversationId: string, agent: string, now: number): Promise<TakeOutcome> {
    const key = keyOf(channelId, conversationId);
    const handoff = this.handoffs.get(key);
    if (!handoff) return 'gone';
    if (handoff.status !== 'waiting') return 'not-waiting';
    this.handoffs.set(key, { ...handoff, status: 'taken', agent, since: now, lastAgentAt: now });
    return 'taken';
  }

  async end(channelId: string, conversationId: string): Promise<Handoff | null> {
    const key = keyOf(channelId, conversationId);
    const handoff = this.handoffs.get(key) ?? null;
    this.handoffs.delete(key);
    this.logs.delete(key);
    return handoff;
  }

  async append(
    channelId: string,
    conversationId: string,
    message: Omit<HandoffMessage, 'cursor'>,
  ): Promise<string> {
    const key = keyOf(channelId, conversationId);
    this.sequence += 1;
    const cursor = `${Math.trunc(message.at)}-${this.sequence}`;
    const log = [...(this.logs.get(key) ?? []), { ...message, cursor }].slice(-HANDOFF_MESSAGES_KEPT);
    this.logs.set(key, log);
    const handoff = this.handoffs.get(key);
    if (handoff && message.from === 'agent') this.handoffs.set(key, { ...handoff, lastAgentAt: message.at });
    return cursor;
  }

  async messages(channelId: string, conversationId: string, after?: string): Promise<HandoffMessage[]> {
    const log = this.logs.get(keyOf(channelId, conversationId)) ?? [];
    if (!after) return log;
    const at = log.findIndex((m) => m.cursor === after);
    return at < 0 ? log.filter((m) => compareCursor(m.cursor, after) > 0) : log.slice(at + 1);
  }

  async requeueSilent(before: number, now: number): Promise<Handoff[]> {
    const back: Handoff[] = [];
    for (const [key, handoff] of this.handoffs) {
      if (handoff.status !== 'taken' || (handoff.lastAgentAt ?? 0) >= before) continue;
      const { agent: _agent, lastAgentAt: _last, ...rest } = handoff;
      const waiting: Handoff = { ...rest, status: 'waiting', since: now };
      this.handoffs.set(key, waiting);
      back.push(waiting);
    }
    return back;
  }

  async dropUntaken(before: number): Promise<Handoff[]> {
    const dropped: Handoff[] = [];
    for (const [key, handoff] of this.handoffs) {
      if (handoff.status !== 'waiting' || handoff.outsideHours || handoff.since >= before) continue;
      this.handoffs.delete(key);
      this.logs.delete(key);
      dropped.push(handoff);
    }
    return dropped;
  }
}

function keyOf(channelId: string, conversationId: string): string {
  return `${channelId}\u0000${conversationId}`;
}

function compareCursor(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('-').map(Number);
  const [b1 = 0, b2 = 0] = b.split('-').map(Number);
  return a1 - b1 || a2 - b2;
}
