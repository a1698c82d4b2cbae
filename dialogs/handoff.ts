import type { DialogContext } from 'botbuilder-dialogs';
import { formatDateTimeFr } from '../src/domain/calendar/format';
import type { OpeningHours } from '../src/domain/handoff/hours';
import { HANDOFF_KEPT_MS } from '../src/domain/handoff/ports';
import { redactText } from '../src/domain/transcripts/redaction';
import type { HandoffEventValue } from '../src/domain/turns/activity-names';
import { normaliseForMatching } from '../src/domain/understanding/features';
import { matchesPhrase } from '../src/domain/understanding/normalise';
import { t, tList } from '../src/i18n';
import { teacherAcademie } from './academie';
import { contactFr } from './answers/academie-fr';
import { conversationRefOf } from './conversation-ref';
import { activeDialogIds, activePromptId, confirmedAddress } from './dialog-stack';
import { PASSWORD_DIALOG } from './ids';
import { type ConversationMemory, memoryOf } from './memory';
import { isSecretPrompt } from './prompt-answers';
import { mainMenu } from './replies';
import { type DialogDeps, NUMEN_DETECTED, type TurnContext } from './types';

/** « je voudrais parler à un conseiller », « un vrai humain svp »: the teacher asks for a person. */
export function asksForPerson(text: string | undefined): boolean {
  if (!text || text.length > 300) return false;
  const folded = ` ${normaliseForMatching(text)} `;
  if (matchesPhrase(text, [t('handoff.choice')])) return true;
  return tList('handoff.asks.phrases').some((p) => folded.includes(` ${p} `));
}

/**
 * The teacher asked for a person: the password step (or any step) ends — a handoff never leaves a
 * password prompt open — and the conversation joins the helpdesk's queue, within its hours or kept for
 * when it opens.
 */
export async function startHandoff(
  dc: DialogContext,
  deps: DialogDeps,
  options: { passwordOpen: boolean; keepStack?: boolean },
): Promise<void> {
  const context = dc.context;
  // The address the activation confirmed, before the step ends: the helpdesk sees whose request it is.
  const email = confirmedAddress(dc) ?? memoryOf(context).requested?.at(-1);
  if (!options.keepStack) await dc.cancelAllDialogs();
  const memory = memoryOf(context);
  if (!deps.handoff) {
    await context.sendActivity(t('handoff.unavailable'));
    // Never a dead end: the académie's helpdesk when its profile has one, else how to find it.
    await context.sendActivity(
      contactFr(teacherAcademie(context, deps)) ?? t('bot.progress.contactHelpdesk'),
    );
    return;
  }
  if (options.passwordOpen) await context.sendActivity(t('handoff.passwordStopped'));
  if (live(memory.handoff, deps) === 'taken') {
    await context.sendActivity(t('handoff.alreadyTaken'));
    return;
  }
  const { activity } = context;
  const now = deps.clock.now();
  const result = await deps.handoff.request(
    {
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      conversation: conversationRefOf(context),
      ...(email ? { email } : {}),
      ...(memory.academie ? { academie: memory.academie } : {}),
    },
    now,
  );
  memory.handoff = { status: 'waiting', since: now.getTime(), until: result.keptUntil };
  memory.misses = undefined;
  // The request's own words open the thread: the agent sees how the teacher put it.
  if (activity.text)
    await deps.handoff.teacherSaid(
      activity.channelId,
      activity.conversation.id,
      redactText(activity.text),
      now,
    );
  if (!result.open) {
    const hours = deps.handoff.hours(memory.academie);
    await context.sendActivity(
      result.nextOpening
        ? t('handoff.outsideHours', {
            hours: describeHoursFr(hours),
            next: formatDateTimeFr(result.nextOpening, hours.timeZone),
          })
        : t('handoff.outsideHoursNoNext'),
    );
    return;
  }
  await context.sendActivity(t(result.outcome === 'already' ? 'handoff.already' : 'handoff.queued'));
}

/**
 * Before the dialogs, on every message of a conversation in the helpdesk's hands. Waiting: the message is
 * copied for the agent and the bot goes on helping (false). Taken: the bot stays silent (true) — the
 * message is the agent's to read; only « annuler » and a NUMEN get an answer from the bot.
 */
export async function duringHandoff(dc: DialogContext, deps: DialogDeps): Promise<boolean> {
  const context = dc.context;
  const memory = memoryOf(context);
  let status = live(memory.handoff, deps);
  if (!status || !deps.handoff) {
    memory.handoff = undefined;
    return false;
  }
  const { activity } = context;
  if (status === 'taken') {
    // The store is the truth: an end, a requeue or an expiry the conversation was not told of (its
    // proactive turn failed) must not leave the bot silent.
    const stored = await deps.handoff.status(activity.channelId, activity.conversation.id);
    status = stored?.status;
    memory.handoff = stored && memory.handoff ? { ...memory.handoff, status: stored.status } : undefined;
    if (!status) return false;
  }
  const text = activity.text?.trim();
  if (!text) return status === 'taken';
  if (matchesPhrase(text, tList('bot.commands.cancel'))) {
    await leaveHandoff(context, deps, status);
    // Waiting, the bot was helping: « annuler » also ends its step, as it always does (dialogs go on).
    return status === 'taken';
  }
  // Typed at a password prompt (the bot helps while the request waits): a password, never for the agent.
  const secret = isSecretPrompt(activePromptId(dc)) || activeDialogIds(dc).includes(PASSWORD_DIALOG);
  if (!secret)
    await deps.handoff.teacherSaid(
      activity.channelId,
      activity.conversation.id,
      redactText(text),
      deps.clock.now(),
    );
  if (status !== 'taken') return false;
  if (context.turnState.get(NUMEN_DETECTED)) await context.sendActivity(t('handoff.numenDuringHandoff'));
  return true;
}

async function leaveHandoff(context: TurnContext, deps: DialogDeps, status: 'waiting' | 'taken') {
  const { activity } = context;
  const handoff = deps.handoff;
  if (!handoff) return;
  if (status === 'taken')
    await handoff.teacherSaid(
      activity.channelId,
      activity.conversation.id,
      t('handoff.teacherLeft'),
      deps.clock.now(),
    );
  await handoff.leave(activity.channelId, activity.conversation.id);
  memoryOf(context).handoff = undefined;
  if (status === 'taken') await context.sendActivity(mainMenu(context, t('handoff.leftWhileTaken')));
  else await context.sendActivity(t('handoff.left'));
}

/**
 * What the helpdesk's side did, told in the conversation by a proactive turn (src/index.ts runs it when
 * an agent takes, writes or ends, and when the timers move the conversation).
 */
export async function onHandoffEvent(
  dc: DialogContext,
  deps: DialogDeps,
  value: HandoffEventValue,
): Promise<void> {
  const context = dc.context;
  const memory = memoryOf(context);
  const now = deps.clock.now().getTime();
  switch (value.kind) {
    case 'taken':
      // The agent holds the conversation: no step of the bot stays open behind its back.
      await dc.cancelAllDialogs();
      memory.handoff = { status: 'taken', since: now };
      await context.sendActivity(t('handoff.taken'));
      return;
    case 'message':
      if (memory.handoff?.status !== 'taken') {
        await dc.cancelAllDialogs();
        memory.handoff = { status: 'taken', since: now };
      }
      await context.sendActivity({
        text: t('handoff.agentSays', { text: value.text ?? '' }),
        textFormat: 'markdown',
      });
      return;
    case 'ended':
      memory.handoff = undefined;
      await context.sendActivity(mainMenu(context, t('handoff.ended')));
      return;
    case 'requeued':
      memory.handoff = { status: 'waiting', since: now };
      await context.sendActivity(t('handoff.requeued'));
      return;
    case 'dropped': {
      memory.handoff = undefined;
      await context.sendActivity(t('handoff.dropped'));
      const contact = contactFr(teacherAcademie(context, deps));
      if (contact) await context.sendActivity(`${t('handoff.droppedContact')}\n\n${contact}`);
      await context.sendActivity(mainMenu(context, t('bot.welcome.choose')));
      return;
    }
  }
}

/** The handoff the conversation remembers, unless it is older than the store keeps one. */
function live(handoff: ConversationMemory['handoff'], deps: DialogDeps) {
  if (!handoff) return undefined;
  const until = handoff.until ?? handoff.since + HANDOFF_KEPT_MS;
  return deps.clock.now().getTime() < until ? handoff.status : undefined;
}

/** « du lundi au vendredi, de 8 h à 18 h ; le samedi, de 9 h à 12 h ». */
export function describeHoursFr(hours: OpeningHours): string {
  const days = tList('handoff.days');
  const byDay = new Map<number, string>();
  for (let day = 1; day <= 7; day += 1) {
    const ranges = hours.ranges
      .filter((r) => r.day === day)
      .sort((a, b) => a.from - b.from)
      .map((r) => t('handoff.hours.range', { from: hourFr(r.from), to: hourFr(r.to) }));
    if (ranges.length) byDay.set(day, ranges.join(t('handoff.hours.and')));
  }
  const groups: string[] = [];
  let day = 1;
  while (day <= 7) {
    const ranges = byDay.get(day);
    if (!ranges) {
      day += 1;
      continue;
    }
    let last = day;
    while (last < 7 && byDay.get(last + 1) === ranges) last += 1;
    groups.push(
      last === day
        ? t('handoff.hours.oneDay', { day: days[day - 1] as string, ranges })
        : t('handoff.hours.dayRange', {
            first: days[day - 1] as string,
            last: days[last - 1] as string,
            ranges,
          }),
    );
    day = last + 1;
  }
  return groups.join(t('handoff.hours.join'));
}

function hourFr(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h}\u00a0h` : `${h}\u00a0h\u00a0${String(m).padStart(2, '0')}`;
}
