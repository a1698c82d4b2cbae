import { Redis } from 'ioredis';

export interface RedisCounters {
  /** Sum of `calls` over INFO commandstats, without the bench's own INFO/MEMORY/SCAN/TYPE calls. */
  readonly commands: number;
  readonly byCommand: Record<string, number>;
  /** total_net_input_bytes + total_net_output_bytes. */
  readonly netBytes: number;
  readonly usedMemory: number;
}

/** Commands the bench itself sends to take its measures; left out of the bot's figures. */
const BENCH_COMMANDS = new Set([
  'info',
  'memory',
  'scan',
  'type',
  'dbsize',
  'ping',
  'hello',
  'client',
  'config',
]);

export function redisAdmin(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export async function counters(redis: Redis): Promise<RedisCounters> {
  const [commandstats, stats, memory] = await Promise.all([
    redis.info('commandstats'),
    redis.info('stats'),
    redis.info('memory'),
  ]);
  const byCommand: Record<string, number> = {};
  let commands = 0;
  for (const match of commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1] as string;
    if (BENCH_COMMANDS.has(name.split('|')[0] as string)) continue;
    byCommand[name] = Number(match[2]);
    commands += Number(match[2]);
  }
  const field = (text: string, name: string) =>
    Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    commands,
    byCommand,
    netBytes: field(stats, 'total_net_input_bytes') + field(stats, 'total_net_output_bytes'),
    usedMemory: field(memory, 'used_memory'),
  };
}

export interface CounterDiff {
  readonly commands: number;
  readonly netBytes: number;
  readonly usedMemory: number;
  readonly byCommand: Record<string, number>;
}

export function diff(before: RedisCounters, after: RedisCounters): CounterDiff {
  const byCommand: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after.byCommand)) {
    const d = calls - (before.byCommand[name] ?? 0);
    if (d > 0) byCommand[name] = d;
  }
  return {
    commands: after.commands - before.commands,
    netBytes: after.netBytes - before.netBytes,
    usedMemory: after.usedMemory - before.usedMemory,
    byCommand,
  };
}

/**
 * The family of a key: its name without the deployment prefix nor hash tags, cut before the variable
 * part (`state`, `acct`, `acct:token`, `outbox:mail`, `seen`, `lock`, `tr`…).
 */
export function keyFamily(key: string, prefix: string): string {
  const bare = (key.startsWith(prefix) ? key.slice(prefix.length) : key).replace(/\{[^}]*\}:?/g, '');
  const parts = bare.split(':');
  const two = `${parts[0]}:${parts[1] ?? ''}`;
  if (['acct:token', 'outbox:mail', 'outbox:due', 'outbox:dead', 'lock:conv'].includes(two)) return two;
  return parts[0] ?? bare;
}

export interface FamilyUsage {
  keys: number;
  bytes: number;
  /** One key of the family, to look at (OBJECT ENCODING, field sizes). */
  sample: string;
}

/** MEMORY USAGE (SAMPLES 0: exact for hashes and sorted sets) of every key under `prefix`, by family. */
export async function memoryByFamily(
  redis: Redis,
  prefix: string,
  filter: (key: string) => boolean = () => true,
): Promise<Record<string, FamilyUsage>> {
  const out: Record<string, FamilyUsage> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const wanted = keys.filter(filter);
    if (wanted.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of wanted) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const results = (await pipeline.exec()) ?? [];
    wanted.forEach((key, i) => {
      const bytes = Number(results[i]?.[1] ?? 0);
      const family = keyFamily(key, prefix);
      const slot = out[family] ?? { keys: 0, bytes: 0, sample: key };
      slot.keys += 1;
      slot.bytes += bytes;
      out[family] = slot;
    });
  } while (cursor !== '0');
  return out;
}

/**
 * How Redis stores a key, and for a hash the length of each field's value (never the values: the account
 * hash holds an argon2id PHC string). A hash leaves its compact listpack encoding, for a hashtable that
 * costs several times more, as soon as one value passes hash-max-listpack-value (64 bytes by default).
 */
export async function describeKey(
  redis: Redis,
  key: string,
): Promise<{
  type: string;
  encoding: string;
  fieldLengths?: Record<string, number>;
  list?: { length: number; meanItemBytes: number; itemFields: string[] };
}> {
  const [type, encoding] = await Promise.all([redis.type(key), redis.object('ENCODING', key)]);
  if (type === 'list') {
    const items = await redis.lrange(key, 0, -1);
    let itemFields: string[] = [];
    try {
      itemFields = Object.keys(JSON.parse(items[0] ?? '{}') as Record<string, unknown>);
    } catch {
      // not JSON
    }
    const bytes = items.reduce((a, i) => a + Buffer.byteLength(i), 0);
    return {
      type,
      encoding: String(encoding),
      list: { length: items.length, meanItemBytes: bytes / Math.max(1, items.length), itemFields },
    };
  }
  if (type !== 'hash') return { type, encoding: String(encoding) };
  const fields = await redis.hkeys(key);
  const lengths = await Promise.all(fields.map((f) => redis.hstrlen(key, f)));
  return {
    type,
    encoding: String(encoding),
    fieldLengths: Object.fromEntries(fields.map((f, i) => [f, lengths[i] as number])),
  };
}

/**
 * What the same hash would cost with another hash-max-listpack-value (1024: surely in the compact listpack
 * encoding; Redis's default 64): copied to a scratch key after changing the setting on this private
 * server, measured, deleted, and the setting put back.
 */
export async function listpackCost(redis: Redis, key: string, listpackValue = '1024'): Promise<number> {
  const previous = ((await redis.config('GET', 'hash-max-listpack-value')) as string[])[1] ?? '64';
  const scratch = `${key}:bench-listpack-copy`;
  try {
    await redis.config('SET', 'hash-max-listpack-value', listpackValue);
    const fields = await redis.hgetall(key);
    await redis.hset(scratch, fields);
    return Number(await redis.memory('USAGE', scratch, 'SAMPLES', 0));
  } finally {
    await redis.del(scratch);
    await redis.config('SET', 'hash-max-listpack-value', previous);
  }
}

export interface RoundTrips {
  /** Commands sent by clients (each a network round trip, or part of a pipeline), per turn, by name. */
  readonly clientCommands: Record<string, number>;
  readonly clientPerTurn: number;
  /** Commands run inside Lua scripts (no network), per turn, by name. */
  readonly scriptCommands: Record<string, number>;
  readonly scriptPerTurn: number;
}

/**
 * INFO commandstats counts the commands that scripts run as well as the clients' own: MONITOR tells them
 * apart (a script's commands come from « lua »). Only names are kept, never arguments (they hold state
 * and transcripts). MONITOR slows Redis down: only around a short batch of turns.
 */
export async function roundTrips(url: string, turns: () => Promise<number>): Promise<RoundTrips> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const monitor = await client.monitor().catch((error: unknown) => {
    client.disconnect();
    throw error;
  });
  const fromClients: Record<string, number> = {};
  const fromScripts: Record<string, number> = {};
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? '').toLowerCase();
    if (BENCH_COMMANDS.has(name)) return;
    const bucket = source === 'lua' ? fromScripts : fromClients;
    bucket[name] = (bucket[name] ?? 0) + 1;
  });
  let n = 0;
  try {
    n = await turns();
    // The last replies may precede the MONITOR lines of what the turn wrote after replying (transcripts).
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  const per = (bucket: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(bucket)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, v / Math.max(1, n)]),
    );
  const total = (bucket: Record<string, number>) =>
    Object.values(bucket).reduce((a, b) => a + b, 0) / Math.max(1, n);
  return {
    clientCommands: per(fromClients),
    clientPerTurn: total(fromClients),
    scriptCommands: per(fromScripts),
    scriptPerTurn: total(fromScripts),
  };
}
