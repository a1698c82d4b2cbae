import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../clock';
import type { TranscriptEntry } from '../../domain/transcripts/ports';
import {
  DEFAULT_DUPLICATE_TTL_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_LOCK_WAIT_MS,
  type OpenTurn,
  type StoredState,
  type TurnEnd,
  type TurnGuard,
  type TurnKey,
  type TurnObserver,
} from '../../domain/turns/ports';
import { parisDay } from '../memory-transcript-store';
import { lockTimeout } from '../turn-guard';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { type ConversationKeys, conversationKeys } from './keys';
import { defineScript, type RunScript, type ScriptArg } from './scripts';
import { DEFAULT_STATE_TTL_SECONDS } from './storage';
import type { RedisTranscriptStore } from './transcript-store';

export { DEFAULT_LEASE_MS };

export interface RedisTurnGuardOptions {
  prefix?: string;
  /** How long an activity id is remembered. Channels retry after about 15 s; 120 s covers several retries. */
  duplicateTtlSeconds?: number;
  /**
   * Lease of the lock, renewed while the turn runs: if the process dies mid-turn, the conversation is free
   * again after this. Shorter than `waitMs`, so that the teacher's next message gets through instead of
   * waiting for a dead turn and failing.
   */
  leaseMs?: number;
  /** Longest wait for the lock before giving up with STORE_UNAVAILABLE. */
  waitMs?: number;
  /** Of the conversation state, refreshed on every write; 0 keeps it forever. */
  stateTtlSeconds?: number;
  /** Where the turns' transcript lines go (the same keys, with the turn's end); none: not kept. */
  transcripts?: RedisTranscriptStore;
  /** For the transcript's times and index day (the application clock). */
  clock?: Clock;
  observer?: TurnObserver;
  /**
   * Told when a turn's transcript lines or index entry could not be written: the turn itself goes on (a
   * transcript never costs a teacher an answer).
   */
  onTranscriptFailure?: (error: unknown) => void;
}

/**
 * The turn guard on Redis, in two scripts whose keys share the conversation's hash tag (keys.ts): before
 * the turn, turn-begin.lua (duplicate filter, lock, state read); after it, turn-end.lua (state
 * compare-and-set, transcript append, lock release). When the transcript has to enter the helpdesk's
 * indexes (a conversation's first turn of the day, or an address given), the index script goes beside
 * the end script, in the same write: it lives in another slot (`{index}`).
 *
 * The lease is renewed while the turn runs (compare-and-extend); a turn whose renewals fail (Redis gone,
 * event loop stalled) loses exclusivity, but its state write is still a compare-and-set against what it
 * read, and it never deletes a lock taken after it (compare-and-delete on an owner token). Waiting uses
 * real elapsed time, never the application clock.
 */
export class RedisTurnGuard implements TurnGuard {
  private readonly prefix: string;
  private readonly duplicateTtlSeconds: number;
  readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly stateTtlSeconds: number;
  private readonly beginScript: RunScript;
  private readonly endScript: RunScript;
  private readonly extendScript: RunScript;
  /** Turns holding their lock in this process, renewed together by one timer. */
  private readonly open = new Set<RedisOpenTurn>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    redis: RedisClient,
    private readonly options: RedisTurnGuardOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.duplicateTtlSeconds = options.duplicateTtlSeconds ?? DEFAULT_DUPLICATE_TTL_MS / 1000;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.stateTtlSeconds = options.stateTtlSeconds ?? DEFAULT_STATE_TTL_SECONDS;
    this.beginScript = defineScript(redis, 'turn-begin');
    this.endScript = defineScript(redis, 'turn-end');
    this.extendScript = defineScript(redis, 'lock-extend');
  }

  /** The keys of one conversation (exposed for tests and operations). */
  keysOf(channelId: string, conversationId: string): ConversationKeys {
    return conversationKeys(this.prefix, channelId, conversationId);
  }

  async begin(turn: TurnKey): Promise<OpenTurn | 'duplicate'> {
    const keys = this.keysOf(turn.channelId, turn.conversationId);
    const seen = turn.activityId ? keys.seen(turn.activityId) : undefined;
    const owner = randomUUID();
    const day = parisDay(this.now());
    const args: ScriptArg[] = [owner, this.leaseMs, this.duplicateTtlSeconds, `d:${day}`];
    const lockKeys = [keys.lock, keys.state, keys.transcriptMeta];
    let reply: unknown;
    let waitedMs = 0;
    try {
      reply = await storeCall('turn begin', () =>
        this.beginScript(seen ? [...lockKeys, seen] : lockKeys, args),
      );
      if (reply === 0) return 'duplicate';
      if (reply === 1) {
        const waitStarted = performance.now();
        reply = await this.waitForLock(lockKeys, args);
        waitedMs = performance.now() - waitStarted;
      }
    } catch (error) {
      // The script may have run with its reply lost: forget the activity and free the lock if it is ours.
      this.abortLater(keys, owner, seen, performance.now() + this.leaseMs);
      throw error;
    }
    const [eTag, json, indexed] = reply as [string, string, number];
    const state: StoredState | undefined = eTag && json ? { eTag, json } : undefined;
    const open = new RedisOpenTurn(this, turn, keys, owner, seen, state, day, indexed === 1, waitedMs);
    this.hold(open);
    return open;
  }

  /** The lock is held by another turn: polls (with jitter, so that two waiting turns do not poll in lockstep). */
  private async waitForLock(keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    const started = performance.now();
    const deadline = started + this.waitMs;
    let delay = 20;
    try {
      for (;;) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) throw lockTimeout();
        await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
        delay = Math.min(250, delay * 2);
        const reply = await storeCall('turn lock', () => this.beginScript(keys, args));
        if (reply !== 1) return reply;
      }
    } finally {
      this.options.observer?.lockWaited((performance.now() - started) / 1000);
    }
  }

  /** State write, transcript append and lock release: one script, the rare index update beside it. */
  async end(turn: RedisOpenTurn, outcome: TurnEnd): Promise<void> {
    this.release(turn);
    const { keys, owner, seen } = turn;
    const transcripts = this.options.transcripts;
    const entry = transcripts && outcome.transcript ? transcriptOf(outcome.transcript, turn.key) : undefined;
    const now = this.now();
    const args: ScriptArg[] = [owner, outcome.failed ? '1' : '0'];
    const write = outcome.failed ? undefined : outcome.state;
    if (write === undefined) args.push('', '', '', '', 0);
    else if (write === null) args.push('d', turn.state?.eTag ?? '', '', '', 0);
    else args.push('w', turn.state?.eTag ?? '', randomUUID(), write, this.stateTtlSeconds);
    let index: Promise<unknown> | undefined;
    let lines: ScriptArg[] | undefined;
    if (transcripts && entry) {
      try {
        lines = transcripts.appendArguments(entry, now, turn.day);
        // Issued first, in the same tick as the end script: on one node they share the connection's write.
        if (!turn.indexed || entry.email) index = transcripts.index(entry, now);
      } catch (error) {
        this.options.onTranscriptFailure?.(error);
      }
    }
    if (lines) args.push(...lines);
    else args.push('');
    const endKeys = [keys.lock, keys.state, keys.transcript, keys.transcriptMeta];
    if (seen) endKeys.push(seen);
    const ended = storeCall('turn end', () => this.endScript(endKeys, args));
    const indexed = index?.then(
      () => undefined,
      (error: unknown) => error ?? new Error('index failed'),
    );
    let status: unknown;
    try {
      status = await ended;
    } catch (error) {
      this.abortLater(keys, owner, seen, turn.leaseEnd);
      throw error;
    } finally {
      const indexError = await indexed;
      if (indexError && entry) this.indexFailed(entry, turn.day, indexError);
    }
    if (status === -1)
      throw new Error(
        `Storage: error writing "${keys.state}" due to eTag conflict (state changed meanwhile).`,
      );
  }

  /** The meta says the conversation is in that day's index: not so, so the next turn writes it again. */
  private indexFailed(entry: TranscriptEntry, day: string, error: unknown): void {
    this.options.onTranscriptFailure?.(error);
    this.options.transcripts?.unindexed(entry.channelId, entry.conversationId, day).catch(() => undefined);
  }

  /**
   * A turn that could not end (Redis unreachable): its lock survives in a persistent Redis. Keeps trying
   * in the background to free the conversation and forget the activity, so that the teacher's retry is
   * processed as soon as Redis is back, not only when the lease runs out (the retry would wait for it,
   * then fail again). Never writes state.
   */
  private abortLater(keys: ConversationKeys, owner: string, seen: string | undefined, until: number): void {
    const endKeys = [keys.lock, keys.state, keys.transcript, keys.transcriptMeta];
    if (seen) endKeys.push(seen);
    const args: ScriptArg[] = [owner, '1', '', '', '', '', 0, ''];
    void (async () => {
      for (
        let delay = 0;
        performance.now() + delay < until;
        delay = Math.min(2_000, Math.max(250, delay * 2))
      ) {
        if (delay > 0) await sleep(delay, undefined, { ref: false });
        try {
          await this.endScript(endKeys, args);
          return;
        } catch {
          // Still unreachable: try again, until the lease would have freed it anyway.
        }
      }
    })();
  }

  private hold(turn: RedisOpenTurn): void {
    this.open.add(turn);
    if (this.renewal) return;
    // One timer for every turn of the process; it stops once no turn holds a lock.
    this.renewal = setInterval(() => this.renew(), this.leaseMs / 3);
    this.renewal.unref();
  }

  private release(turn: RedisOpenTurn): void {
    this.open.delete(turn);
  }

  /** A failed renewal is not fatal: the turn goes on, at worst without exclusivity once the lease ends. */
  private renew(): void {
    if (this.open.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
      return;
    }
    const now = performance.now();
    for (const turn of this.open) {
      // A lock taken since the last tick is fresh enough.
      if (now - turn.renewedAt < this.leaseMs / 6) continue;
      this.extendScript([turn.keys.lock], [turn.owner, this.leaseMs]).then(
        (extended) => {
          if (extended === 1) turn.renewedAt = now;
        },
        () => undefined,
      );
    }
  }

  private now(): Date {
    return this.options.clock?.now() ?? new Date();
  }
}

class RedisOpenTurn implements OpenTurn {
  /** When the lease was last set (real time): the lock is surely ours until `leaseEnd`. */
  renewedAt = performance.now();
  private ended = false;

  constructor(
    private readonly guard: RedisTurnGuard,
    readonly key: TurnKey,
    readonly keys: ConversationKeys,
    readonly owner: string,
    readonly seen: string | undefined,
    readonly state: StoredState | undefined,
    /** The Paris day of the turn, for its transcript's index. */
    readonly day: string,
    /** The transcript is already in that day's index. */
    readonly indexed: boolean,
    readonly lockWaitMs: number,
  ) {}

  get leaseEnd(): number {
    return this.renewedAt + this.guard.leaseMs;
  }

  end(outcome: TurnEnd): Promise<void> {
    if (this.ended) return Promise.reject(new Error('turn already ended'));
    this.ended = true;
    return this.guard.end(this, outcome);
  }
}

/** The entry, when there is something to write; the keys are the turn's, so the entry must be its own. */
function transcriptOf(entry: TranscriptEntry, key: TurnKey): TranscriptEntry | undefined {
  if (entry.channelId !== key.channelId || entry.conversationId !== key.conversationId)
    throw new Error('transcript entry of another conversation');
  return entry.lines.length > 0 || entry.email ? entry : undefined;
}
