import type { ConversationRefJson } from '../accounts/ports';
import type { OpeningHours } from './hours';
import { HANDOFF_KEPT_MS, type Handoff, type HandoffStore } from './ports';

/** Who asks: the conversation, its reference for the replies, and what is known of its académie. */
export interface HandoffAsker {
  readonly channelId: string;
  readonly conversationId: string;
  readonly conversation: ConversationRefJson;
  readonly email?: string;
  readonly academie?: string;
}

export type HandoffRequestOutcome = {
  readonly outcome: 'queued' | 'already';
  /** Epoch ms: when the store forgets the request (the conversation forgets it then too). */
  readonly keptUntil: number;
} & ({ readonly open: true } | { readonly open: false; readonly nextOpening?: Date });

/** A request made outside the hours is kept until they open, and a day more for someone to take it. */
const AFTER_OPENING_MS = 24 * 3_600_000;

/**
 * The helpdesk's side of a handoff as the conversation sees it: joining the queue within the hours of the
 * teacher's académie (or the deployment's), leaving it, and the teacher's messages for the agent. The
 * agent's side is the console (src/http/helpdesk/handoffs.ts); both share the store, so any instance
 * serves either.
 */
export class HandoffDesk {
  constructor(
    private readonly store: HandoffStore,
    /** The académie's hours when its profile has them, else the deployment's (HELPDESK_HOURS). */
    private readonly hoursOf: (academie: string | undefined) => OpeningHours,
  ) {}

  hours(academie: string | undefined): OpeningHours {
    return this.hoursOf(academie);
  }

  /** Outside the hours the request is kept for the helpdesk all the same (it answers when it opens). */
  async request(asker: HandoffAsker, now: Date): Promise<HandoffRequestOutcome> {
    const hours = this.hoursOf(asker.academie);
    const open = hours.isOpen(now);
    const next = open ? undefined : hours.nextOpening(now);
    const keptMs = next
      ? Math.max(HANDOFF_KEPT_MS, next.getTime() - now.getTime() + AFTER_OPENING_MS)
      : HANDOFF_KEPT_MS;
    const outcome = await this.store.request(
      {
        channelId: asker.channelId,
        conversationId: asker.conversationId,
        conversation: asker.conversation,
        ...(asker.email ? { email: asker.email } : {}),
        ...(asker.academie ? { academie: asker.academie } : {}),
        ...(open ? {} : { outsideHours: true }),
      },
      now.getTime(),
      keptMs,
    );
    const keptUntil = now.getTime() + keptMs;
    if (open) return { outcome, keptUntil, open: true };
    return { outcome, keptUntil, open: false, ...(next ? { nextOpening: next } : {}) };
  }

  /** The teacher leaves the queue or ends the conversation with the agent (« annuler »). */
  async leave(channelId: string, conversationId: string): Promise<Handoff | null> {
    return this.store.end(channelId, conversationId);
  }

  async status(channelId: string, conversationId: string): Promise<Handoff | null> {
    return this.store.get(channelId, conversationId);
  }

  /** A teacher's message for the agent, already redacted by the caller (NUMEN, passwords, links). */
  async teacherSaid(channelId: string, conversationId: string, text: string, now: Date): Promise<void> {
    await this.store.append(channelId, conversationId, { at: now.getTime(), from: 'teacher', text });
  }
}
