import type { Handoff, HandoffStore } from './ports';
import { TAKEN_SILENCE_MS, WAITING_MAX_MS } from './ports';

/** What the conversation is told when the sweeper moves it (the bot says it, in a proactive turn). */
export type SweepEvent = 'requeued' | 'dropped';

/**
 * The handoff timers, run on every instance: a taken conversation whose agent went silent goes back to
 * the queue; a waiting one nobody took leaves it, and the teacher gets the académie's contact. Each move
 * is one script in the store, so a conversation is moved (and told) by one instance only. A request made
 * outside the hours stays for the helpdesk (it answers when it opens).
 */
export async function sweepHandoffs(
  store: HandoffStore,
  now: number,
  tell: (handoff: Handoff, event: SweepEvent) => Promise<void>,
  limits: { silenceMs?: number; waitingMs?: number } = {},
): Promise<{ requeued: number; dropped: number }> {
  const requeued = await store.requeueSilent(now - (limits.silenceMs ?? TAKEN_SILENCE_MS), now);
  for (const handoff of requeued) await tell(handoff, 'requeued');
  const dropped = await store.dropUntaken(now - (limits.waitingMs ?? WAITING_MAX_MS));
  for (const handoff of dropped) await tell(handoff, 'dropped');
  return { requeued: requeued.length, dropped: dropped.length };
}
