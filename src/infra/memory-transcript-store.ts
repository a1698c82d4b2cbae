import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import type { Clock } from '../clock';
import { dayOf } from '../domain/stats/ports';
import { activityOf } from '../domain/transcripts/line-activity';
import {
  boundedJson,
  lineOfActivity,
  MAX_BYTES_PER_CONVERSATION,
  MAX_LINES_PER_CONVERSATION,
  truncationMarker,
} from '../domain/transcripts/lines';
import type {
  ConversationSummary,
  StoredActivity,
  TranscriptArchive,
  TranscriptEntry,
  TranscriptLine,
  TranscriptWriter,
} from '../domain/transcripts/ports';

/** Activities per page of getTranscriptActivities, conversations per page of listTranscripts. */
export const TRANSCRIPT_PAGE_SIZE = 20;
export const DEFAULT_TRANSCRIPT_TTL_DAYS = 90;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The helpdesk works in Paris time, whatever the teacher's (or the server's) time zone. */
export function parisDay(instant: Date): string {
  return dayOf(instant, 'Europe/Paris');
}

export function isDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));
}

/** Addresses are indexed as the address step normalises them: trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Continuation tokens are offsets, as text; anything else is a caller error, not the first page. */
export function parseContinuation(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  if (!/^\d{1,9}$/.test(token)) throw new RangeError('Invalid continuation token');
  return Number(token);
}

/** A stored activity back in botbuilder's shape (timestamps as Date), for the TranscriptStore API. */
export function toActivity(stored: StoredActivity): Activity {
  const activity = { ...stored } as Record<string, unknown>;
  for (const key of ['timestamp', 'localTimestamp'] as const) {
    if (typeof activity[key] === 'string') activity[key] = new Date(activity[key] as string);
  }
  return activity as unknown as Activity;
}

/** The conversation of an activity given to logActivity, as the middleware's line (without turn flags). */
export function entryOf(activity: Activity, now: Date): TranscriptEntry {
  const channelId = activity?.channelId;
  const conversationId = activity?.conversation?.id;
  if (!channelId || !conversationId)
    throw new TypeError('An activity needs a channelId and a conversation id');
  return { channelId, conversationId, lines: [lineOfActivity(activity, now)] };
}

/** What the per-conversation bounds count, the same in memory and in Redis (transcript-append.lua). */
export interface TranscriptBounds {
  /** Lines kept at most, the truncation marker not counted. */
  readonly maxLines: number;
  /** Bytes of lines (as JSON) kept at most, the marker not counted. */
  readonly maxBytes: number;
}

export const DEFAULT_BOUNDS: TranscriptBounds = {
  maxLines: MAX_LINES_PER_CONVERSATION,
  maxBytes: MAX_BYTES_PER_CONVERSATION,
};

export function atOrAfter(activity: StoredActivity, startDate: Date | undefined): boolean {
  if (!startDate) return true;
  const at = typeof activity.timestamp === 'string' ? Date.parse(activity.timestamp) : Number.NaN;
  return Number.isNaN(at) || at >= startDate.getTime();
}

export interface MemoryTranscriptOptions {
  clock: Clock;
  ttlDays?: number;
  /** The oldest conversation (by last activity) goes when a new one would exceed this. */
  maxConversations?: number;
  bounds?: Partial<TranscriptBounds>;
}

interface Conversation {
  channelId: string;
  conversationId: string;
  created: Date;
  lastActivity: Date;
  email?: string;
  academie?: string;
  emails: Set<string>;
  days: Set<string>;
  /** As JSON, as Redis keeps them: what is kept cannot share objects with the caller. */
  lines: string[];
  bytes: number;
  /** Lines refused past the bounds; from the first one on, the marker ends the transcript. */
  dropped: number;
}

/**
 * The embedded mode's transcripts (no REDIS_URL): the same contract as RedisTranscriptStore, in memory and
 * bounded, lost on restart like the rest of the embedded mode's state.
 */
export class MemoryTranscriptStore implements TranscriptStore, TranscriptArchive, TranscriptWriter {
  private readonly conversations = new Map<string, Conversation>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxConversations: number;
  private readonly bounds: TranscriptBounds;

  constructor(options: MemoryTranscriptOptions) {
    this.clock = options.clock;
    this.ttlMs = (options.ttlDays ?? DEFAULT_TRANSCRIPT_TTL_DAYS) * 86_400_000;
    this.maxConversations = options.maxConversations ?? 500;
    this.bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  }

  async append(entry: TranscriptEntry): Promise<void> {
    const now = this.clock.now();
    this.expire(now);
    const key = keyOf(entry.channelId, entry.conversationId);
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = {
        channelId: entry.channelId,
        conversationId: entry.conversationId,
        created: now,
        lastActivity: now,
        emails: new Set(),
        days: new Set(),
        lines: [],
        bytes: 0,
        dropped: 0,
      };
      this.conversations.set(key, conversation);
      this.evictBeyondLimit();
    }
    for (const line of entry.lines) {
      const json = boundedJson(line);
      const size = Buffer.byteLength(json, 'utf8');
      const fits =
        conversation.lines.length < this.bounds.maxLines && conversation.bytes + size <= this.bounds.maxBytes;
      if (conversation.dropped === 0 && fits) {
        conversation.lines.push(json);
        conversation.bytes += size;
        continue;
      }
      if (conversation.dropped === 0) conversation.lines.push(JSON.stringify(truncationMarker(now)));
      conversation.dropped += 1;
    }
    conversation.lastActivity = now;
    conversation.days.add(parisDay(now));
    if (entry.academie) conversation.academie = entry.academie;
    if (entry.email) {
      const email = normaliseEmail(entry.email);
      conversation.email = email;
      conversation.emails.add(email);
    }
  }

  async indexAddress(channelId: string, conversationId: string, email: string): Promise<void> {
    await this.append({ channelId, conversationId, lines: [], email });
  }

  async logActivity(activity: Activity): Promise<void> {
    await this.append(entryOf(activity, this.clock.now()));
  }

  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    this.expire(this.clock.now());
    const all = this.activitiesOf(this.conversations.get(keyOf(channelId, conversationId)));
    const from = parseContinuation(continuationToken);
    const items: Activity[] = [];
    let next = from;
    for (; next < all.length && items.length < TRANSCRIPT_PAGE_SIZE; next++) {
      const stored = all[next] as StoredActivity;
      if (atOrAfter(stored, startDate)) items.push(toActivity(stored));
    }
    return { items, continuationToken: next < all.length ? String(next) : '' };
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    this.expire(this.clock.now());
    const all = [...this.conversations.values()]
      .filter((c) => c.channelId === channelId)
      .sort((a, b) => a.created.getTime() - b.created.getTime());
    const from = parseContinuation(continuationToken);
    const page = all.slice(from, from + TRANSCRIPT_PAGE_SIZE);
    return {
      items: page.map((c) => ({ channelId: c.channelId, id: c.conversationId, created: c.created })),
      continuationToken: from + page.length < all.length ? String(from + page.length) : '',
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    this.conversations.delete(keyOf(channelId, conversationId));
  }

  async findByEmail(email: string): Promise<ConversationSummary[]> {
    const wanted = normaliseEmail(email);
    return this.find((c) => c.emails.has(wanted));
  }

  async findByDay(day: string): Promise<ConversationSummary[]> {
    if (!isDay(day)) return [];
    return this.find((c) => c.days.has(day));
  }

  async summary(channelId: string, conversationId: string): Promise<ConversationSummary | null> {
    this.expire(this.clock.now());
    const conversation = this.conversations.get(keyOf(channelId, conversationId));
    return conversation ? summaryOf(conversation) : null;
  }

  async activities(channelId: string, conversationId: string): Promise<StoredActivity[]> {
    this.expire(this.clock.now());
    return this.activitiesOf(this.conversations.get(keyOf(channelId, conversationId)));
  }

  private activitiesOf(conversation: Conversation | undefined): StoredActivity[] {
    if (!conversation) return [];
    return conversation.lines.map((json, i) =>
      activityOf(JSON.parse(json) as TranscriptLine, i, conversation),
    );
  }

  async deleteByEmail(email: string): Promise<number> {
    const wanted = normaliseEmail(email);
    let deleted = 0;
    for (const [key, c] of this.conversations) {
      if (!c.emails.has(wanted)) continue;
      this.conversations.delete(key);
      deleted++;
    }
    return deleted;
  }

  private find(keep: (c: Conversation) => boolean): ConversationSummary[] {
    this.expire(this.clock.now());
    return [...this.conversations.values()]
      .filter(keep)
      .sort((a, b) => b.lastActivity.getTime() - a.lastActivity.getTime())
      .map(summaryOf);
  }

  /** Retention, as Redis's TTL does it: a conversation goes once its last activity is older than the TTL. */
  private expire(now: Date): void {
    for (const [key, c] of this.conversations) {
      if (now.getTime() - c.lastActivity.getTime() > this.ttlMs) this.conversations.delete(key);
    }
  }

  private evictBeyondLimit(): void {
    while (this.conversations.size > this.maxConversations) {
      let oldest: [string, Conversation] | undefined;
      for (const entry of this.conversations) {
        if (!oldest || entry[1].lastActivity < oldest[1].lastActivity) oldest = entry;
      }
      if (!oldest) return;
      this.conversations.delete(oldest[0]);
    }
  }
}

function keyOf(channelId: string, conversationId: string): string {
  return JSON.stringify([channelId, conversationId]);
}

function summaryOf(c: Conversation): ConversationSummary {
  return {
    channelId: c.channelId,
    conversationId: c.conversationId,
    created: c.created.toISOString(),
    lastActivity: c.lastActivity.toISOString(),
    ...(c.email ? { email: c.email } : {}),
    ...(c.academie ? { academie: c.academie } : {}),
  };
}
