/** An activity as JSON: the emulation relays it, it does not interpret it beyond a few fields. */
export type Activity = Record<string, unknown> & { type: string; id?: string };

/** What a stream (or a poll) receives: the watermark is a string, as Web Chat's client expects. */
export interface ActivitySet {
  readonly activities: Activity[];
  readonly watermark: string;
}

/** Someone listening to a conversation (a WebSocket). */
export interface Listener {
  send(set: ActivitySet): void;
  /** The conversation is gone (expired or evicted): the listener should hang up. */
  close(): void;
}

export interface Conversation {
  readonly id: string;
  /** The user the conversation was started for: every token used on it must carry this user. */
  readonly userId: string;
  readonly createdMs: number;
  lastActiveMs: number;
  /** The last sequence number given; watermarks are sequence numbers. */
  seq: number;
  readonly activities: Array<{ seq: number; activity: Activity }>;
  readonly listeners: Set<Listener>;
  /** Deliveries to the bot, in order: each user activity waits for the previous one. */
  queue: Promise<unknown>;
}

export interface StoreLimits {
  /** Conversations kept at most; the least recently active is dropped first. */
  readonly maxConversations: number;
  /** Activities kept per conversation; the oldest are dropped (a client that far behind restarts). */
  readonly maxActivities: number;
  /** A conversation without activity for this long is dropped. */
  readonly idleMs: number;
  /** WebSockets per conversation (a teacher with a few tabs); the oldest is closed first. */
  readonly maxListeners: number;
}

export const DEFAULT_LIMITS: StoreLimits = {
  maxConversations: 1_000,
  maxActivities: 500,
  idleMs: 60 * 60_000,
  maxListeners: 4,
};

/** Ids like Azure's: `<conversationId>|0000042`, unique within the conversation and sortable. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/** The in-memory conversations of the local Direct Line: bounded in number, size and age. */
export class ConversationStore {
  // Insertion order is recency order (touch re-inserts), so the first entry is the one to evict.
  private readonly conversations = new Map<string, Conversation>();

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  get size(): number {
    return this.conversations.size;
  }

  get(id: string, nowMs = Date.now()): Conversation | undefined {
    const conversation = this.conversations.get(id);
    if (conversation && nowMs - conversation.lastActiveMs > this.limits.idleMs) {
      this.drop(conversation);
      return undefined;
    }
    return conversation;
  }

  create(id: string, userId: string, nowMs = Date.now()): Conversation {
    const conversation: Conversation = {
      id,
      userId,
      createdMs: nowMs,
      lastActiveMs: nowMs,
      seq: 0,
      activities: [],
      listeners: new Set(),
      queue: Promise.resolve(),
    };
    this.conversations.set(id, conversation);
    while (this.conversations.size > this.limits.maxConversations) {
      const oldest = this.conversations.values().next().value as Conversation;
      this.drop(oldest);
    }
    return conversation;
  }

  touch(conversation: Conversation, nowMs = Date.now()): void {
    conversation.lastActiveMs = nowMs;
    if (this.conversations.get(conversation.id) !== conversation) return;
    this.conversations.delete(conversation.id);
    this.conversations.set(conversation.id, conversation);
  }

  /** Gives the next sequence number without storing anything (the conversationUpdate the client never sees). */
  nextSeq(conversation: Conversation): number {
    conversation.seq += 1;
    return conversation.seq;
  }

  /**
   * Stores an activity under the next watermark (its id too, unless it has one) and pushes it to the
   * listeners. Returns the stored activity.
   */
  append(conversation: Conversation, activity: Activity, seq = this.nextSeq(conversation)): Activity {
    const stored: Activity = { ...activity, id: activity.id ?? activityId(conversation.id, seq) };
    conversation.activities.push({ seq, activity: stored });
    while (conversation.activities.length > this.limits.maxActivities) conversation.activities.shift();
    this.touch(conversation);
    const set: ActivitySet = { activities: [stored], watermark: String(seq) };
    for (const listener of conversation.listeners) listener.send(set);
    return stored;
  }

  /** The activities after `watermark` (all of them without one), and the watermark to ask from next. */
  since(conversation: Conversation, watermark: string | undefined): ActivitySet {
    const from = parseWatermark(watermark);
    return {
      activities: conversation.activities.filter((a) => a.seq > from).map((a) => a.activity),
      watermark: String(Math.max(from, conversation.seq)),
    };
  }

  find(conversation: Conversation, id: string): { seq: number; activity: Activity } | undefined {
    return conversation.activities.find((a) => a.activity.id === id);
  }

  /** Replaces a stored activity (the bot edited it): listeners receive it again, under a new watermark. */
  replace(conversation: Conversation, id: string, activity: Activity): Activity | undefined {
    const index = conversation.activities.findIndex((a) => a.activity.id === id);
    if (index < 0) return undefined;
    conversation.activities.splice(index, 1);
    return this.append(conversation, { ...activity, id });
  }

  remove(conversation: Conversation, id: string): boolean {
    const index = conversation.activities.findIndex((a) => a.activity.id === id);
    if (index < 0) return false;
    conversation.activities.splice(index, 1);
    return true;
  }

  listen(conversation: Conversation, listener: Listener): () => void {
    conversation.listeners.add(listener);
    while (conversation.listeners.size > this.limits.maxListeners) {
      const oldest = conversation.listeners.values().next().value as Listener;
      conversation.listeners.delete(oldest);
      oldest.close();
    }
    return () => {
      conversation.listeners.delete(listener);
    };
  }

  /** Drops the conversations idle for too long; called from a timer. */
  sweep(nowMs = Date.now()): void {
    for (const conversation of [...this.conversations.values()]) {
      if (nowMs - conversation.lastActiveMs > this.limits.idleMs) this.drop(conversation);
    }
  }

  /** Forgets everything and hangs up every listener (server shutdown). */
  clear(): void {
    for (const conversation of [...this.conversations.values()]) this.drop(conversation);
  }

  private drop(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    for (const listener of [...conversation.listeners]) listener.close();
    conversation.listeners.clear();
  }
}

/** A watermark is a decimal sequence number; anything else counts as "from the start". */
export function parseWatermark(watermark: string | undefined): number {
  if (watermark === undefined || !/^\d{1,15}$/.test(watermark)) return 0;
  return Number(watermark);
}
