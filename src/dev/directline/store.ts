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
  readonly activities: Array<{ seq: number; activity: Activity; bytes: number }>;
  /** What its activities weigh, as JSON (UTF-8 bytes). */
  bytes: number;
  readonly listeners: Set<Listener>;
  /** Deliveries to the bot, in order: each user activity waits for the previous one. */
  queue: Promise<unknown>;
}

export interface StoreLimits {
  /** Conversations kept at most; the least recently active is dropped first. */
  readonly maxConversations: number;
  /** Activities kept per conversation; the oldest are dropped (a client that far behind restarts). */
  readonly maxActivities: number;
  /** Bytes of activities kept per conversation (as JSON); the oldest are dropped, the newest always kept. */
  readonly maxConversationBytes: number;
  /**
   * Bytes kept over all conversations together: activities, plus CONVERSATION_BYTES for each conversation
   * itself. Beyond it the least recently active conversations are dropped, whole.
   */
  readonly maxTotalBytes: number;
  /** A conversation without activity for this long is dropped. */
  readonly idleMs: number;
  /** WebSockets per conversation (a teacher with a few tabs); the oldest is closed first. */
  readonly maxListeners: number;
}

/**
 * Sized for a developer's machine: a conversation is a few dozen activities of a few KB (cards are the
 * largest); 2 MB is hundreds of them, and the bot's largest body (256 KB) always fits. 32 MB in total is
 * what a browser tab costs, whatever a script posts.
 */
export const DEFAULT_LIMITS: StoreLimits = {
  maxConversations: 1_000,
  maxActivities: 500,
  maxConversationBytes: 2 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  idleMs: 60 * 60_000,
  maxListeners: 4,
};

/** What a conversation costs before any activity (ids, listeners, its delivery queue), counted in the total. */
export const CONVERSATION_BYTES = 1024;

/** Ids like Azure's: `<conversationId>|0000042`, unique within the conversation and sortable. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/**
 * The in-memory conversations of the local Direct Line: bounded in number, in age, per conversation
 * (activities and bytes) and in total (bytes over all conversations).
 */
export class ConversationStore {
  // Insertion order is recency order (touch re-inserts), so the first entry is the one to evict.
  private readonly conversations = new Map<string, Conversation>();
  private bytes = 0;

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  get size(): number {
    return this.conversations.size;
  }

  /** Bytes kept over all conversations, as bounded by maxTotalBytes. */
  get totalBytes(): number {
    return this.bytes;
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
    const previous = this.conversations.get(id);
    if (previous) this.drop(previous);
    const conversation: Conversation = {
      id,
      userId,
      createdMs: nowMs,
      lastActiveMs: nowMs,
      seq: 0,
      activities: [],
      bytes: 0,
      listeners: new Set(),
      queue: Promise.resolve(),
    };
    this.conversations.set(id, conversation);
    this.bytes += CONVERSATION_BYTES;
    while (this.conversations.size > this.limits.maxConversations) {
      const oldest = this.conversations.values().next().value as Conversation;
      this.drop(oldest);
    }
    this.evictBeyondTotal(conversation);
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
    const bytes = Buffer.byteLength(JSON.stringify(stored), 'utf8');
    conversation.activities.push({ seq, activity: stored, bytes });
    this.resize(conversation, bytes);
    const { maxActivities, maxConversationBytes } = this.limits;
    while (
      conversation.activities.length > 1 &&
      (conversation.activities.length > maxActivities || conversation.bytes > maxConversationBytes)
    )
      this.removeAt(conversation, 0);
    this.touch(conversation);
    this.evictBeyondTotal(conversation);
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
    this.removeAt(conversation, index);
    return this.append(conversation, { ...activity, id });
  }

  remove(conversation: Conversation, id: string): boolean {
    const index = conversation.activities.findIndex((a) => a.activity.id === id);
    if (index < 0) return false;
    this.removeAt(conversation, index);
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
    if (this.conversations.get(conversation.id) === conversation) {
      this.conversations.delete(conversation.id);
      this.bytes -= CONVERSATION_BYTES + conversation.bytes;
    }
    for (const listener of [...conversation.listeners]) listener.close();
    conversation.listeners.clear();
  }

  private removeAt(conversation: Conversation, index: number): void {
    const [removed] = conversation.activities.splice(index, 1);
    if (removed) this.resize(conversation, -removed.bytes);
  }

  /** A dropped conversation's activities no longer count, whatever is still done to its object. */
  private resize(conversation: Conversation, delta: number): void {
    conversation.bytes += delta;
    if (this.conversations.get(conversation.id) === conversation) this.bytes += delta;
  }

  /**
   * The least recently active conversations go first, whole: a client that far behind starts again (its
   * token finds no conversation). The one being written is kept: it fits, since a conversation holds at
   * most maxConversationBytes.
   */
  private evictBeyondTotal(current: Conversation): void {
    for (const conversation of [...this.conversations.values()]) {
      if (this.bytes <= this.limits.maxTotalBytes) return;
      if (conversation !== current) this.drop(conversation);
    }
  }
}

/** A watermark is a decimal sequence number; anything else counts as "from the start". */
export function parseWatermark(watermark: string | undefined): number {
  if (watermark === undefined || !/^\d{1,15}$/.test(watermark)) return 0;
  return Number(watermark);
}
