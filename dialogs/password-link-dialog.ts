import {
  Dialog,
  type DialogContext,
  type DialogInstance,
  DialogReason,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { describeRules } from '../src/domain/accounts/password-rules-fr';
import { formatDateTimeFr } from '../src/domain/calendar/format';
import { formatWaitFr } from '../src/domain/limits/wait';
import { PASSWORD_ENTERED_EVENT } from '../src/domain/turns/activity-names';
import { matchesPhrase } from '../src/domain/understanding/normalise';
import { isAppError } from '../src/errors';
import { t, tList } from '../src/i18n';
import { rendersSuggestedActions } from './channel';
import { conversationRefOf } from './conversation-ref';
import type { ChosenPassword } from './types';
import { type DialogDeps, type Reply, SECRET_ANSWER, type TurnContext } from './types';

/**
 * The link step's own id: the main dialog treats it as a secret prompt like the password prompt, but lets
 * the resend phrases through as well (a password never matches them; in the chat mode a phrase of several
 * words at the password prompt still goes to the recogniser).
 */
export const PASSWORD_LINK_PROMPT = 'passwordLinkPrompt';

export interface PasswordLinkOptions {
  /** The address confirmed at the address step: the link is bound to it. */
  readonly email: string;
}

/** Only ids: the token of the link is never kept, the hash of the password only in the entry store. */
interface LinkState {
  entryId?: string;
  email: string;
}

type Deps = Required<Pick<DialogDeps, 'passwordEntry'>> & Pick<DialogDeps, 'calendar'>;

/**
 * PASSWORD_ENTRY=link: instead of asking for the password, sends a one-time link to our page and waits
 * for the page's submit, which the bot replays here as a PASSWORD_ENTERED_EVENT. Registered under
 * PASSWORD_LINK_PROMPT, which the main dialog treats as a step where a secret is expected (one-word
 * messages and the resend phrases come here rather than to the recogniser, every message is masked in the
 * transcript and in traces), and « aide », « annuler » or a question work as at the password prompt.
 */
/**
 * Marks the link message as one after which a password may be typed anyway: the Web Chat page then masks
 * the teacher's next message on screen (the bot already ignores it and masks it in the transcript).
 */
const PASSWORD_EXPECTED = { inputType: 'password' } as const;

export class PasswordLinkDialog extends Dialog<PasswordLinkOptions> {
  constructor(
    dialogId: string,
    private readonly deps: Deps,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: PasswordLinkOptions): Promise<DialogTurnResult> {
    const state = stateOf(dc);
    state.email = options?.email ?? '';
    const rules = describeRules(this.deps.calendar.passwordPolicy);
    await dc.context.sendActivity(t('password-entry.bot.intro', { rules }));
    await this.sendLink(dc.context, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const context = dc.context;
    const activity = context.activity;
    const state = stateOf(dc);
    if (activity.type === 'event') {
      const entryId = (activity.value as { entryId?: unknown } | undefined)?.entryId;
      // An event for an older link (replaced since) is not this step's business.
      if (activity.name !== PASSWORD_ENTERED_EVENT || !state.entryId || entryId !== state.entryId)
        return Dialog.EndOfTurn;
      const ended = await this.endWithClaim(dc, state.entryId);
      if (ended) return ended;
      await context.sendActivity(this.withResend(context, t('password-entry.bot.noLonger')));
      return Dialog.EndOfTurn;
    }
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    // Whatever is typed here may be the password itself: the transcript keeps « [masqué] ».
    context.turnState.set(SECRET_ANSWER, true);
    // The page may have been submitted while the proactive turn could not reach the channel.
    if (state.entryId) {
      const ended = await this.endWithClaim(dc, state.entryId);
      if (ended) return ended;
    }
    const text = (activity.text ?? '').trim();
    if (isResend(text)) {
      const previous = state.entryId;
      // The old link stops working only once a new one was granted: a refused « renvoyer » keeps it.
      if ((await this.sendLink(context, state)) && previous) await this.deps.passwordEntry.revoke(previous);
      return Dialog.EndOfTurn;
    }
    // One word is most likely a password typed here anyway: say it was not used.
    const oneWord = text !== '' && !/\s/.test(text);
    await context.sendActivity(
      this.withResend(context, oneWord ? t('password-entry.bot.notUsed') : t('password-entry.bot.waiting')),
    );
    return Dialog.EndOfTurn;
  }

  /**
   * Ends the step with the page's PHC, left in the store until the account request succeeds: a turn that
   * fails before then finds it again. An entry already used for the account (the turn that created it could
   * not say so) ends the step too, with a word instead of a wait for a password that will not come.
   */
  private async endWithClaim(dc: DialogContext, entryId: string): Promise<DialogTurnResult | undefined> {
    const claimed = await this.deps.passwordEntry.claim(entryId);
    if (claimed === 'consumed') {
      await dc.context.sendActivity(t('password-entry.bot.alreadyUsed'));
      return dc.endDialog({ alreadyUsed: true } satisfies ChosenPassword);
    }
    if (claimed)
      return dc.endDialog({ passwordHash: claimed.passwordHash, entryId } satisfies ChosenPassword);
    return undefined;
  }

  /** After « aide », a greeting or an answered question: the link was sent earlier, say how to go on. */
  override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
    await context.sendActivity(this.withResend(context, t('password-entry.bot.waiting')));
  }

  /** « annuler », « recommencer »: the link of the abandoned step stops working at once. */
  override async endDialog(
    _context: TurnContext,
    instance: DialogInstance,
    reason: DialogReason,
  ): Promise<void> {
    const { entryId } = (instance.state ?? {}) as LinkState;
    if (reason === DialogReason.cancelCalled && entryId) await this.deps.passwordEntry.revoke(entryId);
  }

  /** False when the conversation asked for too many links (said to the teacher, with the wait). */
  private async sendLink(context: TurnContext, state: LinkState): Promise<boolean> {
    let link: Awaited<ReturnType<Deps['passwordEntry']['open']>>;
    try {
      link = await this.deps.passwordEntry.open({
        email: state.email,
        conversation: conversationRefOf(context),
      });
    } catch (error) {
      if (!isAppError(error, 'RATE_LIMITED')) throw error;
      const wait = formatWaitFr(Number(error.data?.retryAfterMs ?? 0));
      await context.sendActivity(this.withResend(context, t('password-entry.bot.tooManyLinks', { wait })));
      return false;
    }
    state.entryId = link.id;
    const expires = formatDateTimeFr(link.expiresAt, this.deps.calendar.timeZone);
    if (!rendersSuggestedActions(context.activity.channelId)) {
      await context.sendActivity({
        type: 'message',
        text: t('password-entry.bot.linkText', { url: link.url, expires }),
        inputHint: 'expectingInput',
        channelData: PASSWORD_EXPECTED,
      });
      return true;
    }
    const text = t('password-entry.bot.linkCard', { expires });
    await context.sendActivity({
      type: 'message',
      text,
      inputHint: 'expectingInput',
      channelData: PASSWORD_EXPECTED,
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            title: t('password-entry.bot.cardTitle'),
            buttons: [{ type: 'openUrl', title: t('password-entry.bot.cardButton'), value: link.url }],
          },
        },
      ],
    });
    return true;
  }

  /**
   * A message with « Renvoyer le lien » as a suggested action where they render. The button sends the one
   * word « renvoyer »; the longer phrases reach this step too (see PASSWORD_LINK_PROMPT).
   */
  private withResend(context: TurnContext, text: string): Reply {
    if (!rendersSuggestedActions(context.activity.channelId))
      return { type: 'message', text, inputHint: 'expectingInput' };
    return {
      type: 'message',
      text,
      inputHint: 'expectingInput',
      suggestedActions: {
        to: context.activity.from?.id ? [context.activity.from.id] : [],
        actions: [
          {
            type: 'imBack',
            title: t('password-entry.bot.resend'),
            value: t('password-entry.bot.resendValue'),
          },
        ],
      },
    };
  }
}

function stateOf(dc: DialogContext): LinkState {
  return (dc.activeDialog?.state ?? {}) as LinkState;
}

/** « renvoyer », « Renvoyer le lien » (the button's title, typed or sent by a channel), « nouveau lien »… */
export function isResend(text: string): boolean {
  return matchesPhrase(text, [t('password-entry.bot.resend'), ...tList('password-entry.bot.resendSynonyms')]);
}
