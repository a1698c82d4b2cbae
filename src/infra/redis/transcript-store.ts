import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import type { Clock } from '../../clock';
import { activityOf } from '../../domain/transcripts/line-activity';
import { boundedJson, parseLine, truncationMarker } from '../../domain/transcripts/lines';
import type {
  ConversationSummary,
  StoredActivity,
  TranscriptArchive,
  TranscriptEntry,
  TranscriptWriter,
} from '../../domain/transcripts/ports';
import {
  atOrAfter,
  DEFAULT_BOUNDS,
  DEFAULT_TRANSCRIPT_TTL_DAYS,
  entryOf,
  isDay,
  normaliseEmail,
  parisDay,
  parseContinuation,
  TRANSCRIPT_PAGE_SIZE,
  type TranscriptBounds,
  toActivity,
} from '../memory-transcript-store';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { channelPart, checkedPrefix, keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisTranscriptOptions {
  prefix?: string;
  clock: Clock;
  /** Retention, refreshed on every write of the conversation. */
  ttlDays?: number;
  bounds?: Partial<TranscriptBounds>;
}

export { channelPart };

/** The `{channel}/{conversation}` member of the index sets. */
export function memberOf(channelId: string, conversationId: string): string {
  return `${channelPart(channelId)}/${keyPart(conversationId)}`;
}

/**
 * Transcripts in Redis, as compact lines redacted before they get here (see TranscriptMiddleware and
 * domain/transcripts/lines.ts), under the prefix (braces are literal: they are the Redis Cluster hash
 * tags, see keys.ts):
 * - `tr:{<channel>:<conversation>}`: list of lines as JSON, oldest first, within the bounds (lines and
 *   bytes), then at most one truncation marker;
 * - `tr:meta:{<channel>:<conversation>}`: hash created, lastActivity, email, academie, channelId,
 *   conversationId (the real ids, since long ones are hashed in keys), bytes (of the lines kept) and dropped (lines refused
 *   past the bounds), and one `d:<day>` / `e:<address>` field per index entry;
 * - `tr:{index}:by-address:<address>`, `tr:{index}:by-day:<YYYY-MM-DD>` (Paris),
 *   `tr:{index}:by-channel:<channel>`: sorted sets of `<channel>/<conversation>` members, scored by time.
 * Every key written gets the retention TTL again. Reads skip members whose transcript has expired.
 */
export class RedisTranscriptStore implements TranscriptStore, TranscriptArchive, TranscriptWriter {
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly ttlSeconds: number;
  private readonly bounds: TranscriptBounds;
  private readonly appendScript: RunScript;
  private readonly indexScript: RunScript;

  constructor(
    private readonly redis: RedisClient,
    options: RedisTranscriptOptions,
  ) {
    this.prefix = checkedPrefix(options.prefix ?? '');
    this.clock = options.clock;
    const ttlDays = options.ttlDays ?? DEFAULT_TRANSCRIPT_TTL_DAYS;
    if (!(ttlDays > 0)) throw new RangeError('ttlDays must be positive');
    this.ttlSeconds = Math.round(ttlDays * 86_400);
    this.bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
    this.appendScript = defineScript(redis, 'transcript-append');
    this.indexScript = defineScript(redis, 'transcript-index');
  }

  /**
   * The index script, then the transcript's own once the index is written: a conversation is never
   * unfindable. Replies come back in order on the indexes' connection, so the appends of one conversation
   * keep their order. Turns write their lines with their end (RedisTurnGuard): this is for the other
   * writes (a failed turn's apology, botbuilder's TranscriptLogger).
   */
  append(entry: TranscriptEntry): Promise<void> {
    const now = this.clock.now();
    const member = memberOf(entry.channelId, entry.conversationId);
    const args = this.appendArguments(entry, now, parisDay(now));
    return this.index(entry, now)
      .then(() =>
        storeCall('transcript write', () =>
          this.appendScript([this.listKey(member), this.metaKey(member)], args),
        ),
      )
      .then(() => undefined);
  }

  /**
   * The arguments of lib/transcript.lua's appendTranscript for one turn's entry: the lines as JSON, each
   * bounded. `day` is the Paris day the conversation is indexed under (its meta's `d:<day>` field).
   */
  appendArguments(entry: TranscriptEntry, now: Date, day: string): Array<string | number> {
    const email = entry.email ? normaliseEmail(entry.email) : '';
    const args: Array<string | number> = [
      this.ttlSeconds,
      now.toISOString(),
      day,
      entry.channelId,
      entry.conversationId,
      email,
      this.bounds.maxLines,
      this.bounds.maxBytes,
      JSON.stringify(truncationMarker(now)),
      entry.academie ?? '',
    ];
    for (const line of entry.lines) args.push(boundedJson(line));
    return args;
  }

  /**
   * Indexes a conversation for the helpdesk: by channel and by day (Paris), and by address when the entry
   * has one. A turn needs it once a day or when an address is given (RedisTurnGuard asks its meta).
   */
  index(entry: TranscriptEntry, now: Date): Promise<unknown> {
    const member = memberOf(entry.channelId, entry.conversationId);
    const email = entry.email ? normaliseEmail(entry.email) : '';
    const indexKeys = [this.channelKey(entry.channelId), this.dayKey(parisDay(now))];
    if (email) indexKeys.push(this.addressKey(email));
    // Index scores are the first turn of the conversation's latest day: a day more than the retention
    // before pruning, so that an entry never goes before its transcript (whose TTL each turn refreshes).
    const pruneBefore = now.getTime() - this.ttlSeconds * 1000 - 86_400_000;
    return storeCall('transcript index', () =>
      this.indexScript(indexKeys, [this.ttlSeconds, now.getTime(), pruneBefore, member]),
    );
  }

  /** Forgets that the conversation is in `day`'s index (it failed to be written): the next turn writes it. */
  unindexed(channelId: string, conversationId: string, day: string): Promise<unknown> {
    const member = memberOf(channelId, conversationId);
    return storeCall('transcript index', () => this.redis.hdel(this.metaKey(member), `d:${day}`));
  }

  async indexAddress(channelId: string, conversationId: string, email: string): Promise<void> {
    await this.append({ channelId, conversationId, lines: [], email });
  }

  /** botbuilder's TranscriptLogger: made a line here too (no turn flags), for callers other than our middleware. */
  async logActivity(activity: Activity): Promise<void> {
    await this.append(entryOf(activity, this.clock.now()));
  }

  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    const member = memberOf(channelId, conversationId);
    const key = this.listKey(member);
    const dropped = await this.droppedOf(member);
    const where = { channelId, conversationId, dropped };
    const now = this.clock.now();
    let next = parseContinuation(continuationToken);
    const items: Activity[] = [];
    // With a startDate, early pages may be all older: read on until the page is full or the list ends.
    for (;;) {
      const batch = await storeCall('transcript read', () =>
        this.redis.lrange(key, next, next + TRANSCRIPT_PAGE_SIZE - items.length - 1),
      );
      for (const json of batch) {
        const stored = activityOf(parseLine(json, now), next, where);
        next++;
        if (atOrAfter(stored, startDate)) items.push(toActivity(stored));
      }
      if (batch.length === 0 || items.length >= TRANSCRIPT_PAGE_SIZE) break;
    }
    const length = await storeCall('transcript read', () => this.redis.llen(key));
    return { items, continuationToken: next < length ? String(next) : '' };
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    const key = this.channelKey(channelId);
    const from = parseContinuation(continuationToken);
    const [members, total] = await storeCall('transcript list', async () =>
      Promise.all([
        this.redis.zrange(key, String(from), String(from + TRANSCRIPT_PAGE_SIZE - 1)),
        this.redis.zcard(key),
      ]),
    );
    const summaries = await this.summaries(members);
    return {
      items: summaries.map((s) => ({
        channelId: s.channelId,
        id: s.conversationId,
        created: new Date(s.created),
      })),
      continuationToken: from + members.length < total ? String(from + members.length) : '',
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    await this.deleteMembers([memberOf(channelId, conversationId)]);
  }

  async findByEmail(email: string): Promise<ConversationSummary[]> {
    const members = await storeCall('transcript search', () =>
      this.redis.zrange(this.addressKey(normaliseEmail(email)), '0', '-1'),
    );
    return newestFirst(await this.summaries(members));
  }

  async findByDay(day: string): Promise<ConversationSummary[]> {
    if (!isDay(day)) return [];
    const members = await storeCall('transcript search', () =>
      this.redis.zrange(this.dayKey(day), '0', '-1'),
    );
    return newestFirst(await this.summaries(members));
  }

  async summary(channelId: string, conversationId: string): Promise<ConversationSummary | null> {
    const [found] = await this.summaries([memberOf(channelId, conversationId)]);
    return found ?? null;
  }

  async activities(channelId: string, conversationId: string): Promise<StoredActivity[]> {
    const member = memberOf(channelId, conversationId);
    const [list, dropped] = await Promise.all([
      storeCall('transcript read', () => this.redis.lrange(this.listKey(member), 0, -1)),
      this.droppedOf(member),
    ]);
    const now = this.clock.now();
    const where = { channelId, conversationId, dropped };
    return list.map((json, i) => activityOf(parseLine(json, now), i, where));
  }

  /** Lines refused past the bounds, for the truncation marker's text. */
  private async droppedOf(member: string): Promise<number> {
    const dropped = await storeCall('transcript read', () =>
      this.redis.hget(this.metaKey(member), 'dropped'),
    );
    return Number(dropped ?? 0);
  }

  async deleteByEmail(email: string): Promise<number> {
    const addressKey = this.addressKey(normaliseEmail(email));
    const members = await storeCall('transcript search', () => this.redis.zrange(addressKey, '0', '-1'));
    const deleted = await this.deleteMembers(members);
    await storeCall('transcript delete', () => this.redis.del(addressKey));
    return deleted;
  }

  /**
   * Deletes transcripts and metas, then removes them from every index their meta remembers. Two steps,
   * since a transcript and the indexes live in different slots of a Cluster; an index entry left behind
   * by a failure in between points to nothing and is skipped on read.
   */
  private async deleteMembers(members: readonly string[]): Promise<number> {
    if (members.length === 0) return 0;
    const metas = await this.readMetas(members);
    const deleted = metas.filter((meta) => Object.keys(meta).length > 0).length;
    await storeCall('transcript delete', () =>
      Promise.all(members.map((member) => this.redis.del(this.listKey(member), this.metaKey(member)))),
    );
    const indexes = this.redis.multi();
    members.forEach((member, i) => {
      const meta = metas[i] ?? {};
      for (const field of Object.keys(meta)) {
        if (field.startsWith('d:')) indexes.zrem(this.dayKey(field.slice(2)), member);
        if (field.startsWith('e:')) indexes.zrem(this.addressKey(field.slice(2)), member);
      }
      if (meta.channelId !== undefined) indexes.zrem(this.channelKey(meta.channelId), member);
    });
    await storeCall('transcript delete', async () => {
      const results = (await indexes.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    });
    return deleted;
  }

  private async readMetas(members: readonly string[]): Promise<Array<Record<string, string>>> {
    if (members.length === 0) return [];
    // One command per meta, sent together: on a Cluster they live on different nodes.
    return storeCall('transcript read', () =>
      Promise.all(members.map((member) => this.redis.hgetall(this.metaKey(member)))),
    );
  }

  private async summaries(members: readonly string[]): Promise<ConversationSummary[]> {
    const metas = await this.readMetas(members);
    const found: ConversationSummary[] = [];
    for (const meta of metas) {
      // An expired transcript leaves its member in an index until the index itself expires or is pruned.
      if (!meta.channelId || meta.conversationId === undefined || !meta.created) continue;
      found.push({
        channelId: meta.channelId,
        conversationId: meta.conversationId,
        created: meta.created,
        lastActivity: meta.lastActivity ?? meta.created,
        ...(meta.email ? { email: meta.email } : {}),
        ...(meta.academie ? { academie: meta.academie } : {}),
      });
    }
    return found;
  }

  /** The indexes share one hash tag, so that one script or MULTI can update several of them. */
  private indexKey(rest: string): string {
    return `${this.prefix}tr:{index}:${rest}`;
  }

  private channelKey(channelId: string): string {
    return this.indexKey(`by-channel:${channelPart(channelId)}`);
  }

  private dayKey(day: string): string {
    return this.indexKey(`by-day:${day}`);
  }

  private addressKey(email: string): string {
    return this.indexKey(`by-address:${keyPart(email)}`);
  }

  /**
   * A conversation's list and meta share its hash tag `{channel:conversation}`. The channel part is never
   * empty and has no brace, so the tag is the same for both keys even if the conversation part holds a `}`.
   */
  private listKey(member: string): string {
    return `${this.prefix}tr:{${member.replace('/', ':')}}`;
  }

  private metaKey(member: string): string {
    return `${this.prefix}tr:meta:{${member.replace('/', ':')}}`;
  }
}

function newestFirst(summaries: ConversationSummary[]): ConversationSummary[] {
  return summaries.sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
}
