import {
  Dialog,
  type DialogContext,
  type DialogInstance,
  DialogReason,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { formatDateTimeFr } from '../src/domain/calendar/format';
import { matchesPhrase } from '../src/domain/understanding/normalise';
import { t, tList } from '../src/i18n';
import { rendersSuggestedActions } from './channel';
import { conversationRefOf } from './conversation-ref';
import type { ChosenPassword } from './password-dialog';
import {
  type DialogDeps,
  PASSWORD_ENTERED_EVENT,
  type Reply,
  SECRET_ANSWER,
  type TurnContext,
} from './types';

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
 * for the page's submit, which the bot replays here as a PASSWORD_ENTERED_EVENT. Registered under the id
 * of the password prompt on purpose: the main dialog then treats this step as one where a secret is
 * expected (one-word messages come here rather than to the recogniser, every message is masked in the
 * transcript and in traces), and « aide », « annuler » or a question work as at the password prompt.
 */
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
    await dc.context.sendActivity(t('password-entry.bot.intro'));
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
      const claimed = await this.deps.passwordEntry.claim(state.entryId);
      if (claimed) return dc.endDialog({ passwordHash: claimed.passwordHash } satisfies ChosenPassword);
      await context.sendActivity(this.withResend(context, t('password-entry.bot.noLonger')));
      return Dialog.EndOfTurn;
    }
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    // Whatever is typed here may be the password itself: the transcript keeps « [masqué] ».
    context.turnState.set(SECRET_ANSWER, true);
    // The page may have been submitted while the proactive turn could not reach the channel.
    if (state.entryId) {
      const claimed = await this.deps.passwordEntry.claim(state.entryId);
      if (claimed) return dc.endDialog({ passwordHash: claimed.passwordHash } satisfies ChosenPassword);
    }
    const text = (activity.text ?? '').trim();
    if (isResend(text)) {
      if (state.entryId) await this.deps.passwordEntry.revoke(state.entryId);
      await this.sendLink(context, state);
      return Dialog.EndOfTurn;
    }
    // One word is most likely a password typed here anyway: say it was not used.
    const oneWord = text !== '' && !/\s/.test(text);
    await context.sendActivity(
      this.withResend(context, oneWord ? t('password-entry.bot.notUsed') : t('password-entry.bot.waiting')),
    );
    return Dialog.EndOfTurn;
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

  private async sendLink(context: TurnContext, state: LinkState): Promise<void> {
    const link = await this.deps.passwordEntry.open({
      email: state.email,
      conversation: conversationRefOf(context),
    });
    state.entryId = link.id;
    const expires = formatDateTimeFr(link.expiresAt, this.deps.calendar.timeZone);
    if (!rendersSuggestedActions(context.activity.channelId)) {
      await context.sendActivity({
        type: 'message',
        text: t('password-entry.bot.linkText', { url: link.url, expires }),
        inputHint: 'expectingInput',
      });
      return;
    }
    const text = t('password-entry.bot.linkCard', { expires });
    await context.sendActivity({
      type: 'message',
      text,
      inputHint: 'expectingInput',
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
  }

  /**
   * A message with « Renvoyer le lien » as a suggested action where they render. The button sends the one
   * word « renvoyer »: a longer phrase would reach the recogniser, which takes it for « mail not received ».
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

function isResend(text: string): boolean {
  return matchesPhrase(text, [t('password-entry.bot.resend'), ...tList('password-entry.bot.resendSynonyms')]);
}
