import type { TurnContext } from './types';

/**
 * What the bot remembers of this conversation, beyond the dialog stack: what the teacher said has
 * happened and what happened here (a request sent, a confirmation announced), and what the bot last said.
 * Only what this conversation says: the bot never looks up whether an address has an account, since
 * anyone could ask about a colleague. Loaded and saved with the conversation state by the bot.
 */
export interface ConversationMemory {
  /** The professional webmail works (the teacher said so, or answered « oui » / « c'est fait »). */
  webmail?: 'done';
  /** How far the voter account got, by what the teacher said or what happened here. */
  account?: 'requested' | 'confirmed';
  /** Addresses this conversation sent a request for, oldest first (at most a few). */
  requested?: string[];
  voted?: true;
  /** A digest of the bot's last answer: never the same answer twice in a row. */
  lastAnswer?: string;
  /** The topic of the last answer, for « toujours rien » and other follow-ups. */
  topic?: string;
  /** How many times each topic got a follow-up (the next step, then the next). */
  followUps?: Record<string, number>;
  /** The id of the place the teacher named (« je suis à Nouméa »): it wins over the channel's zone. */
  place?: string;
  /** The next-step hints already given (locale keys): each is said once per conversation. */
  hints?: string[];
  /** The introduction was given: a later greeting gets a short answer (Teams' install sends two events). */
  welcomed?: true;
  /** The id of the teacher's académie (its profile): its local time, webmail and helpdesk in the answers. */
  academie?: string;
  /** Where the académie was learnt: the address confirmed wins over the Teams profile, which wins over the page. */
  academieFrom?: AcademieSource;
  /** The Teams profile was already looked up for the académie (once per conversation, found or not). */
  profileLooked?: true;
  /** In the helpdesk's hands (issue 15): waiting in its queue, or taken by an agent (the bot is silent). */
  handoff?: { status: 'waiting' | 'taken'; since: number; until?: number };
  /** Messages not understood in a row: at the second, the bot offers a person. */
  misses?: number;
}

/** Where the conversation learnt the teacher's académie (dialogs/academie.ts). */
export type AcademieSource = 'address' | 'teams' | 'page';

/** The turn's memory, shared by the bot (which loads and saves it) and the dialogs (which update it). */
export const MEMORY = Symbol('conversationMemory');
/** The digest of the answer given at the previous turn, if that turn's reply was an answer. */
export const PREVIOUS_ANSWER = Symbol('previousAnswer');

/**
 * Called by the bot once per turn, before the dialogs: the previous turn's answer becomes the one to
 * compare with, and is forgotten unless this turn answers again (« in a row » means the turn just before).
 */
export function beginTurn(context: TurnContext, memory: ConversationMemory): void {
  context.turnState.set(MEMORY, memory);
  context.turnState.set(PREVIOUS_ANSWER, memory.lastAnswer);
  memory.lastAnswer = undefined;
}

export function memoryOf(context: TurnContext): ConversationMemory {
  let memory = context.turnState.get(MEMORY) as ConversationMemory | undefined;
  if (!memory) {
    memory = {};
    context.turnState.set(MEMORY, memory);
  }
  return memory;
}

/** Addresses kept per conversation: enough for two corrections, bounded whatever a stranger types. */
const MAX_REQUESTED = 3;

export function rememberRequest(memory: ConversationMemory, email: string): void {
  memory.account = memory.account === 'confirmed' ? 'confirmed' : 'requested';
  memory.requested = [...(memory.requested ?? []).filter((e) => e !== email), email].slice(-MAX_REQUESTED);
}
