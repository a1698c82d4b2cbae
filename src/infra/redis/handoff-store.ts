import type { Handoff, HandoffMessage, HandoffStore, TakeOutcome } from '../../domain/handoff/ports';
import { HANDOFF_KEPT_MS, HANDOFF_MESSAGES_KEPT } from '../../domain/handoff/ports';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { keyPart, tagged } from './keys';
import { defineScript, type RunScript } from './scripts';

/** After an end, the agent's page may still read the last messages for this long. */
const ENDED_MESSAGES_KEPT_MS = 10 * 60_000;

/** The queue is one key anyway: every handoff shares its slot (a few hundred at the busiest). */
export const HANDOFF_TAG = 'handoff';

/**
 * `{handoff}:queue` orders conversations by when they joined (or were taken); `{handoff}:h:<conversation>`
 * holds the status, the agent and the rest as JSON; `{handoff}:m:<conversation>` is a capped stream of the
 * messages exchanged meanwhile (its ids are the cursors the console polls with). Every change of status
 * is one script, so two agents never take one conversation and any instance serves either side.
 */
export class RedisHandoffStore implements HandoffStore {
  private readonly queueKey: string;
  private readonly requestScript: RunScript;
  private readonly takeScript: RunScript;
  private readonly endScript: RunScript;
  private readonly requeueScript: RunScript;
  private readonly dropScript: RunScript;
  private readonly agentSpokeScript: RunScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: { prefix?: string } = {},
  ) {
    this.queueKey = tagged(options.prefix ?? '', HANDOFF_TAG, 'queue');
    this.requestScript = defineScript(redis, 'handoff-request');
    this.takeScript = defineScript(redis, 'handoff-take');
    this.endScript = defineScript(redis, 'handoff-end');
    this.requeueScript = defineScript(redis, 'handoff-requeue');
    this.dropScript = defineScript(redis, 'handoff-drop');
    this.agentSpokeScript = defineScript(redis, 'handoff-agent-spoke');
  }

  async request(
    handoff: Omit<Handoff, 'status' | 'since'>,
    now: number,
    keptMs = HANDOFF_KEPT_MS,
  ): Promise<'queued' | 'already'> {
    const member = memberOf(handoff.channelId, handoff.conversationId);
    const data = JSON.stringify(dataOf(handoff));
    const reply = await storeCall('handoff request', () =>
      this.requestScript(
        [this.hashKey(member), this.queueKey],
        [member, String(Math.trunc(now)), data, Math.trunc(keptMs)],
      ),
    );
    return reply === 'queued' ? 'queued' : 'already';
  }

  async get(channelId: string, conversationId: string): Promise<Handoff | null> {
    const fields = await storeCall('handoff read', () =>
      this.redis.hgetall(this.hashKey(memberOf(channelId, conversationId))),
    );
    return handoffOf(fields);
  }

  async list(): Promise<Handoff[]> {
    return storeCall('handoff list', async () => {
      const members = await this.redis.zrange(this.queueKey, '0', '-1');
      if (members.length === 0) return [];
      const read = this.redis.multi();
      for (const member of members) read.hgetall(this.hashKey(member));
      const results = await read.exec();
      if (!results) throw new Error('transaction aborted');
      const gone: string[] = [];
      const handoffs = results.flatMap(([error, fields], i) => {
        if (error) throw error;
        const handoff = handoffOf(fields as Record<string, string>);
        if (!handoff) gone.push(members[i] as string);
        return handoff ? [handoff] : [];
      });
      // Expired requests leave the queue too: no sweep reads them again.
      if (gone.length > 0) await this.redis.zrem(this.queueKey, ...gone);
      return handoffs;
    });
  }

  async take(channelId: string, conversationId: string, agent: string, now: number): Promise<TakeOutcome> {
    const member = memberOf(channelId, conversationId);
    const reply = await storeCall('handoff take', () =>
      this.takeScript(
        [this.hashKey(member), this.queueKey],
        [member, agent, String(Math.trunc(now)), HANDOFF_KEPT_MS],
      ),
    );
    return reply === 'taken' || reply === 'not-waiting' ? reply : 'gone';
  }

  async end(channelId: string, conversationId: string): Promise<Handoff | null> {
    const member = memberOf(channelId, conversationId);
    const flat = (await storeCall('handoff end', () =>
      this.endScript(
        [this.hashKey(member), this.queueKey, this.messagesKey(member)],
        [member, ENDED_MESSAGES_KEPT_MS],
      ),
    )) as string[];
    return handoffOf(pairs(flat));
  }

  async append(
    channelId: string,
    conversationId: string,
    message: Omit<HandoffMessage, 'cursor'>,
  ): Promise<string> {
    const member = memberOf(channelId, conversationId);
    const key = this.messagesKey(member);
    return storeCall('handoff message', async () => {
      const tx = this.redis
        .multi()
        .xadd(
          key,
          'MAXLEN',
          '~',
          String(HANDOFF_MESSAGES_KEPT),
          '*',
          'at',
          String(Math.trunc(message.at)),
          'from',
          message.from,
          'text',
          message.text,
          ...(message.agent ? ['agent', message.agent] : []),
        )
        .pexpire(key, HANDOFF_KEPT_MS);
      const results = await tx.exec();
      if (!results) throw new Error('transaction aborted');
      for (const [error] of results) if (error) throw error;
      // An agent who speaks keeps the conversation (the silence that sends it back starts again).
      if (message.from === 'agent')
        await this.agentSpokeScript([this.hashKey(member)], [String(Math.trunc(message.at))]);
      return String(results[0]?.[1]);
    });
  }

  async messages(channelId: string, conversationId: string, after?: string): Promise<HandoffMessage[]> {
    const key = this.messagesKey(memberOf(channelId, conversationId));
    const start = after && /^\d+-\d+$/.test(after) ? `(${after}` : '-';
    const entries = await storeCall('handoff messages', () => this.redis.xrange(key, start, '+'));
    return entries.map(([cursor, flat]) => {
      const fields = pairs(flat);
      return {
        cursor,
        at: Number(fields.at),
        from: (fields.from as HandoffMessage['from']) ?? 'bot',
        text: fields.text ?? '',
        ...(fields.agent ? { agent: fields.agent } : {}),
      };
    });
  }

  async requeueSilent(before: number, now: number): Promise<Handoff[]> {
    const back: Handoff[] = [];
    for (const handoff of await this.list()) {
      if (handoff.status !== 'taken' || (handoff.lastAgentAt ?? 0) >= before) continue;
      const member = memberOf(handoff.channelId, handoff.conversationId);
      const moved = await storeCall('handoff requeue', () =>
        this.requeueScript(
          [this.hashKey(member), this.queueKey],
          [member, String(Math.trunc(before)), String(Math.trunc(now))],
        ),
      );
      if (moved === 1) back.push({ ...handoff, status: 'waiting', since: now });
    }
    return back;
  }

  async dropUntaken(before: number): Promise<Handoff[]> {
    const dropped: Handoff[] = [];
    for (const handoff of await this.list()) {
      if (handoff.status !== 'waiting' || handoff.outsideHours || handoff.since >= before) continue;
      const member = memberOf(handoff.channelId, handoff.conversationId);
      const flat = (await storeCall('handoff drop', () =>
        this.dropScript(
          [this.hashKey(member), this.queueKey, this.messagesKey(member)],
          [member, String(Math.trunc(before))],
        ),
      )) as string[];
      const gone = handoffOf(pairs(flat));
      if (gone) dropped.push(gone);
    }
    return dropped;
  }

  private hashKey(member: string): string {
    return tagged(this.options.prefix ?? '', HANDOFF_TAG, `h:${member}`);
  }

  private messagesKey(member: string): string {
    return tagged(this.options.prefix ?? '', HANDOFF_TAG, `m:${member}`);
  }
}

function memberOf(channelId: string, conversationId: string): string {
  return keyPart(`${channelId}:${conversationId}`);
}

type Stored = Omit<Handoff, 'status' | 'since' | 'agent' | 'lastAgentAt'>;

function dataOf(handoff: Omit<Handoff, 'status' | 'since'>): Stored {
  const { agent: _agent, lastAgentAt: _last, ...rest } = handoff;
  return rest;
}

function handoffOf(fields: Record<string, string> | null | undefined): Handoff | null {
  if (!fields?.status || !fields.data) return null;
  const data = JSON.parse(fields.data) as Stored;
  return {
    ...data,
    status: fields.status === 'taken' ? 'taken' : 'waiting',
    since: Number(fields.since),
    ...(fields.agent ? { agent: fields.agent } : {}),
    ...(fields.lastAgentAt ? { lastAgentAt: Number(fields.lastAgentAt) } : {}),
  };
}

function pairs(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return fields;
}
