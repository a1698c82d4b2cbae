import type { ConversationRefJson } from '../accounts/ports';

/**
 * A teacher who asked for a person (issue 15): the conversation waits in the helpdesk's queue, then an
 * agent holds it until the end. While it is held the bot stays silent.
 */
export type HandoffStatus = 'waiting' | 'taken';

export interface Handoff {
  readonly channelId: string;
  readonly conversationId: string;
  readonly status: HandoffStatus;
  /** Epoch ms (application clock): when it joined the queue, or when the agent took it. */
  readonly since: number;
  /** The agent's login, while taken. */
  readonly agent?: string;
  /** The professional address, when the conversation gave one (what scoped agents are filtered on). */
  readonly email?: string;
  /** The académie profile id, when known. */
  readonly academie?: string;
  /** Where the agent's replies go: the conversation's compact reference. */
  readonly conversation: ConversationRefJson;
  /** Epoch ms of the agent's last message, while taken (a silent agent's conversation goes back). */
  readonly lastAgentAt?: number;
  /** Asked outside the helpdesk's hours: kept for the helpdesk, answered when it opens. */
  readonly outsideHours?: boolean;
}

export interface HandoffMessage {
  /** Opaque, increasing: `messages(after)` returns what came after it. */
  readonly cursor: string;
  /** Epoch ms, application clock. */
  readonly at: number;
  readonly from: 'teacher' | 'agent' | 'bot';
  /** Redacted like the transcript (NUMEN, passwords, links masked). */
  readonly text: string;
  readonly agent?: string;
}

export type TakeOutcome = 'taken' | 'not-waiting' | 'gone';

export interface HandoffStore {
  /**
   * Joins the queue; 'already' when the conversation is in it (waiting or taken). Kept `keptMs`
   * (HANDOFF_KEPT_MS by default; longer for a request made outside the hours, kept until they open).
   */
  request(
    handoff: Omit<Handoff, 'status' | 'since'>,
    now: number,
    keptMs?: number,
  ): Promise<'queued' | 'already'>;
  get(channelId: string, conversationId: string): Promise<Handoff | null>;
  /** Every conversation in the queue, oldest first (the caller filters by the agent's scope). */
  list(): Promise<Handoff[]>;
  take(channelId: string, conversationId: string, agent: string, now: number): Promise<TakeOutcome>;
  /** Ends the handoff (the agent), or leaves the queue (the teacher): the conversation is the bot's again. */
  end(channelId: string, conversationId: string): Promise<Handoff | null>;
  append(channelId: string, conversationId: string, message: Omit<HandoffMessage, 'cursor'>): Promise<string>;
  messages(channelId: string, conversationId: string, after?: string): Promise<HandoffMessage[]>;
  /** Taken conversations whose agent said nothing since `before`: back to waiting; returned. */
  requeueSilent(before: number, now: number): Promise<Handoff[]>;
  /**
   * Waiting conversations nobody took since `before`: out of the queue; returned (to be told). Those asked
   * outside the hours stay: the helpdesk answers them when it opens.
   */
  dropUntaken(before: number): Promise<Handoff[]>;
}

/** How long a handoff and its messages are kept (the transcript keeps the conversation). */
export const HANDOFF_KEPT_MS = 2 * 24 * 3_600_000;

/** How long a taken conversation may wait for its agent's first or next message before going back. */
export const TAKEN_SILENCE_MS = 10 * 60_000;
/** How long a waiting conversation stays in the queue before the teacher is given the contact instead. */
export const WAITING_MAX_MS = 30 * 60_000;
/** How many messages a handoff keeps (the transcript keeps the rest, with its own caps). */
export const HANDOFF_MESSAGES_KEPT = 200;
