import { ConversationState, type Storage, type StoreItems, type TurnContext } from 'botbuilder';
import type { TranscriptEntry } from '../domain/transcripts/ports';
import type { OpenTurn } from '../domain/turns/ports';

/**
 * The conversation state of a turn comes from the turn guard, which read it with the lock in one round
 * trip, and goes back with the turn's end (state, transcript and lock release in one round trip too).
 * botbuilder's ConversationState only knows the Storage interface, so this is a Storage whose items are
 * the open turns' own: `TurnConversationState` names a turn's item by a key of that turn alone (two turns
 * of one conversation can be open in one process when one has lost its lease), reading it returns the
 * state the guard read, writing it keeps the new state for the turn's end. Any other key goes to the
 * store behind (`fallback`), for code that reads state outside a turn.
 */
export class TurnStorage implements Storage {
  private readonly slots = new Map<string, TurnSlot>();
  private next = 0;

  constructor(private readonly fallback: Storage) {}

  /** The turn's state, readable and writable through `TurnConversationState` until `detach`. */
  attach(context: TurnContext, turn: OpenTurn): TurnSlot {
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    const slot = new TurnSlot(`\u0000turn:${this.next}`, turn);
    this.slots.set(slot.key, slot);
    context.turnState.set(TURN_SLOT, slot);
    return slot;
  }

  detach(context: TurnContext, slot: TurnSlot): void {
    this.slots.delete(slot.key);
    if (context.turnState.get(TURN_SLOT) === slot) context.turnState.delete(TURN_SLOT);
  }

  async read(keys: string[]): Promise<StoreItems> {
    let items: StoreItems | undefined;
    const rest: string[] = [];
    for (const key of keys) {
      const slot = this.slots.get(key);
      if (!slot) rest.push(key);
      else if (slot.item) {
        items ??= {};
        items[key] = slot.item;
      }
    }
    if (rest.length === 0) return items ?? {};
    return { ...(await this.fallback.read(rest)), ...items };
  }

  async write(changes: StoreItems): Promise<void> {
    const rest: StoreItems = {};
    let others = false;
    for (const key of Object.keys(changes)) {
      const slot = this.slots.get(key);
      if (slot) slot.write(changes[key]);
      else {
        rest[key] = changes[key];
        others = true;
      }
    }
    if (others) await this.fallback.write(rest);
  }

  async delete(keys: string[]): Promise<void> {
    const rest = keys.filter((key) => {
      const slot = this.slots.get(key);
      slot?.write(null);
      return !slot;
    });
    if (rest.length > 0) await this.fallback.delete(rest);
  }
}

/** One open turn's state: as read, and as it is to be written at the end. */
export class TurnSlot {
  /** undefined: nothing to write; null: delete; a string: the new state's JSON (without eTag). */
  pending: string | null | undefined;
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly key: string,
    private readonly turn: OpenTurn,
  ) {}

  /** The state as botbuilder expects an item: the JSON's object with its eTag. */
  get item(): Record<string, unknown> | undefined {
    const state = this.turn.state;
    if (!state) return undefined;
    if (!this.parsed) {
      this.parsed = JSON.parse(state.json) as Record<string, unknown>;
      this.parsed.eTag = state.eTag;
    }
    return this.parsed;
  }

  write(item: unknown): void {
    if (item === null || item === undefined) {
      this.pending = null;
      return;
    }
    // BotState sets eTag '*' on the object it writes: the turn's end compares with the eTag read instead.
    const { eTag: _, ...value } = item as Record<string, unknown>;
    this.pending = JSON.stringify(value);
  }
}

const TURN_SLOT = Symbol('turn state slot');

/**
 * ConversationState whose storage key, inside a guarded turn, is the turn's own slot (see TurnStorage);
 * outside one, botbuilder's usual `<channel>/conversations/<id>/`.
 */
export class TurnConversationState extends ConversationState {
  override getStorageKey(context: TurnContext): string | undefined {
    const slot = context.turnState.get(TURN_SLOT) as TurnSlot | undefined;
    return slot ? slot.key : super.getStorageKey(context);
  }
}

/**
 * Where the transcript middleware leaves the turn's lines for the turn's end (src/bot/middleware), so
 * that they travel in the same round trip as the state; without it, the middleware writes them itself.
 */
export const TURN_TRANSCRIPT = Symbol('turn transcript');

export interface TranscriptHandOff {
  entry?: TranscriptEntry;
}
