import type { Storage } from 'botbuilder';
import type { TranscriptWriter } from '../domain/transcripts/ports';
import {
  DEFAULT_DUPLICATE_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  type OpenTurn,
  type StoredState,
  type TurnEnd,
  type TurnGuard,
  type TurnKey,
} from '../domain/turns/ports';
import { AppError } from '../errors';

export { DEFAULT_DUPLICATE_TTL_MS, DEFAULT_LOCK_WAIT_MS };

export function lockTimeout(): AppError {
  return new AppError('STORE_UNAVAILABLE', 'lock timeout');
}

/** botbuilder ConversationState's key of a conversation (no namespace): where its state lives in a Storage. */
export function conversationStateKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}/`;
}

export interface MemoryTurnGuardOptions {
  /** Where the conversation states live (botbuilder's MemoryStorage in the embedded mode). */
  storage: Storage;
  /** Where the turns' transcript lines go. */
  transcripts?: TranscriptWriter;
  /** Told when a turn's lines could not be written: the turn itself goes on. */
  onTranscriptFailure?: (error: unknown) => void;
  duplicateTtlMs?: number;
  waitMs?: number;
  /** Real elapsed time, not the application clock (which may be frozen in a demo). */
  now?: () => number;
}

/**
 * For the embedded mode and tests: one process, so a promise chain per conversation is the lock, and the
 * state and transcript are written one after the other at the turn's end.
 */
export class MemoryTurnGuard implements TurnGuard {
  private readonly seen = new Map<string, number>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly duplicateTtlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(private readonly options: MemoryTurnGuardOptions) {
    this.duplicateTtlMs = options.duplicateTtlMs ?? DEFAULT_DUPLICATE_TTL_MS;
    this.waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  async begin(turn: TurnKey): Promise<OpenTurn | 'duplicate'> {
    const seenKey = turn.activityId
      ? `${turn.channelId}\u0000${turn.conversationId}\u0000${turn.activityId}`
      : undefined;
    if (seenKey && this.isDuplicate(seenKey)) return 'duplicate';
    const conversationKey = `${turn.channelId}\u0000${turn.conversationId}`;
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next turn waits for the previous one and for us, even if we give up waiting.
    const tail = previous.then(() => mine);
    this.tails.set(conversationKey, tail);
    const unlock = () => {
      release();
      if (this.tails.get(conversationKey) === tail) this.tails.delete(conversationKey);
    };
    const key = conversationStateKey(turn.channelId, turn.conversationId);
    let state: StoredState | undefined;
    const waitStarted = performance.now();
    let lockWaitMs = 0;
    try {
      await waitAtMost(previous, this.waitMs);
      lockWaitMs = performance.now() - waitStarted;
      const item = (await this.options.storage.read([key]))[key] as Record<string, unknown> | undefined;
      if (item) {
        const { eTag, ...value } = item;
        state = { eTag: String(eTag), json: JSON.stringify(value) };
      }
    } catch (error) {
      unlock();
      if (seenKey) this.seen.delete(seenKey);
      throw error;
    }
    let ended = false;
    return {
      state,
      lockWaitMs,
      end: async (outcome: TurnEnd) => {
        if (ended) throw new Error('turn already ended');
        ended = true;
        try {
          const state = outcome.failed ? undefined : outcome.state;
          if (state === null) await this.options.storage.delete([key]);
          else if (state !== undefined)
            await this.options.storage.write({ [key]: { ...JSON.parse(state), eTag: '*' } });
          if (outcome.transcript && (outcome.transcript.lines.length > 0 || outcome.transcript.email))
            await this.options.transcripts
              ?.append(outcome.transcript)
              .catch((error: unknown) => this.options.onTranscriptFailure?.(error));
        } catch (error) {
          if (seenKey) this.seen.delete(seenKey);
          throw error;
        } finally {
          if (outcome.failed && seenKey) this.seen.delete(seenKey);
          unlock();
        }
      },
    };
  }

  private isDuplicate(key: string): boolean {
    const now = this.now();
    if (this.seen.size > 10_000) this.prune(now);
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return true;
    this.seen.set(key, now + this.duplicateTtlMs);
    return false;
  }

  private prune(now: number): void {
    for (const [key, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(key);
  }
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(lockTimeout()), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
