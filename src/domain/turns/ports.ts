import type { TranscriptEntry } from '../transcripts/ports';

/**
 * What protects and carries one turn of a conversation, in two round trips to the store.
 *
 * Before the turn (`begin`): channels resend an activity they think was lost (after about 15 s), so its id
 * is recorded and a repeat is dropped; a teacher can type twice before the first answer, so the turns of
 * one conversation take its lock (a lease, renewed while the turn runs) one at a time; and the
 * conversation's state is read under that lock. After the turn (`OpenTurn.end`): the new state is written
 * if nobody else wrote since it was read (compare-and-set), the turn's transcript lines are appended, and
 * the lock is released. Waiting for a lock another turn holds costs more round trips: the rare case.
 */
export interface TurnGuard {
  /** `duplicate` when the activity was already seen recently (nothing else is done). */
  begin(turn: TurnKey): Promise<OpenTurn | 'duplicate'>;
}

export interface TurnKey {
  readonly channelId: string;
  readonly conversationId: string;
  /** The activity's id; without one (some proactive turns) the turn is never a duplicate. */
  readonly activityId?: string | undefined;
}

/** A conversation's stored state: its JSON, and the version it was read at. */
export interface StoredState {
  readonly eTag: string;
  readonly json: string;
}

export interface TurnEnd {
  /**
   * The turn failed: its activity is forgotten, so that the channel's retry is processed, and no state is
   * written (a failed turn saved nothing).
   */
  readonly failed: boolean;
  /** The new state as JSON; `null` deletes it; absent leaves it as it is. */
  readonly state?: string | null | undefined;
  /** The turn's lines (and the address confirmed during it), appended in the same round trip. */
  readonly transcript?: TranscriptEntry | undefined;
}

export interface OpenTurn {
  /** The state read under the lock; undefined for a conversation without one yet. */
  readonly state: StoredState | undefined;
  /** How long the turn waited for a lock another turn held (0: it was free). */
  readonly lockWaitMs: number;
  /**
   * Writes the state (compare-and-set against `state`), appends the transcript, releases the lock (and
   * forgets the activity of a failed turn). Rejects with STORE_UNAVAILABLE when the store cannot be
   * reached (the lock is then released in the background as soon as it can be), and with an « eTag
   * conflict » error when the state changed since it was read (a turn that lost its lease): nothing is
   * written then but the transcript, and the activity is forgotten.
   */
  end(end: TurnEnd): Promise<void>;
}

/** What the turns report, for the operators' figures (the metrics port implements it). */
export interface TurnObserver {
  /** A turn waited for a lock another turn held, for `seconds` (whether it got it or not). */
  lockWaited(seconds: number): void;
}

/** A repeated activity is remembered this long. Channels retry after about 15 s; 120 s covers several. */
export const DEFAULT_DUPLICATE_TTL_MS = 120_000;
/** Longest wait for a held lock before giving up with STORE_UNAVAILABLE. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
/**
 * Lease of a conversation's lock, renewed every third of it while the turn runs: a dead process holds a
 * conversation 5 s at most, less than a turn waits, so the teacher's next message gets through.
 */
export const DEFAULT_LEASE_MS = 5_000;
