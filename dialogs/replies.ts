import type { PasswordPolicy } from '../src/domain/accounts/password-policy';
import { describeRules } from '../src/domain/accounts/password-rules-fr';
import { PASSWORD_CARD_ACTION } from '../src/domain/turns/activity-names';
import { t } from '../src/i18n';
import { fitsSuggestedActions, rendersCards, rendersSuggestedActions } from './channel';
import type { Reply, TurnContext } from './types';

export interface Option {
  readonly label: string;
}

/**
 * A message offering options: suggested actions where the channel shows them, and always something the
 * teacher can type (the numbered list on text-only channels, the labels themselves elsewhere).
 */
export function withOptions(context: TurnContext, text: string, given: readonly Option[]): Reply {
  const channelId = context.activity.channelId;
  // Never the same choice twice (« Aide » among the topics, then « Aide » again).
  const seen = new Set<string>();
  const options = given.filter((o) => {
    const key = o.label.normalize('NFC').toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (
    rendersSuggestedActions(channelId) &&
    !fitsSuggestedActions(
      channelId,
      options.map((o) => o.label),
    )
  ) {
    const buttons = options.map((o) => ({ type: 'imBack', title: o.label, value: o.label }));
    return {
      type: 'message',
      text,
      inputHint: 'expectingInput',
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { buttons } }],
    };
  }
  if (rendersSuggestedActions(channelId)) {
    return {
      type: 'message',
      text,
      inputHint: 'expectingInput',
      suggestedActions: {
        to: context.activity.from?.id ? [context.activity.from.id] : [],
        actions: options.map((o) => ({ type: 'imBack', title: o.label, value: o.label })),
      },
    };
  }
  const list = options.map((o, i) => t('bot.choices.numbered', { n: i + 1, label: o.label }));
  return {
    type: 'message',
    text: [text, t('bot.choices.listIntro'), ...list].join('\n'),
    inputHint: 'expectingInput',
  };
}

export function mainMenu(context: TurnContext, text: string): Reply {
  return withOptions(context, text, [
    { label: t('bot.menu.create') },
    { label: t('bot.menu.dates') },
    { label: t('bot.menu.mailNotReceived') },
    { label: t('bot.menu.help') },
  ]);
}

/**
 * An Adaptive Card 1.5 with two masked inputs, under the rules of the election's policy. Only offered
 * where cards render; the text of the same message names the card first and says the password can be
 * typed too, for screen readers and text-only channels. `channelData.inputType` tells the Web Chat page that what the teacher types next is a
 * password: it masks that message on screen before showing it (src/http/webchat/static/chat-password.js).
 */
export function passwordPrompt(context: TurnContext, policy: PasswordPolicy): Reply {
  if (!rendersCards(context.activity.channelId)) return secretQuestion(t('bot.password.ask'));
  const card = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    lang: 'fr',
    speak: t('bot.password.askCard'),
    body: [
      { type: 'TextBlock', text: t('bot.password.cardTitle'), weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: t('bot.password.cardRules', { rules: describeRules(policy) }), wrap: true },
      {
        type: 'Input.Text',
        id: 'password',
        style: 'password',
        label: t('bot.password.cardPassword'),
        isRequired: true,
        errorMessage: t('bot.password.cardPasswordMissing'),
      },
      {
        type: 'Input.Text',
        id: 'confirmation',
        style: 'password',
        label: t('bot.password.cardConfirmation'),
        isRequired: true,
        errorMessage: t('bot.password.cardConfirmationMissing'),
      },
    ],
    actions: [
      { type: 'Action.Submit', title: t('bot.password.cardSubmit'), data: { action: PASSWORD_CARD_ACTION } },
    ],
  };
  return {
    type: 'message',
    text: t('bot.password.askCard'),
    inputHint: 'expectingInput',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    channelData: { inputType: 'password' },
  };
}

/**
 * A question whose answer is a secret, or a message after which a secret is still expected (a refused
 * password). `channelData.inputType` lets a client that knows it hide what is typed (the terminal chat of
 * the demo) or mask it on screen (the Web Chat page); other channels ignore it.
 */
export function secretQuestion(text: string): Reply {
  return { type: 'message', text, inputHint: 'expectingInput', channelData: { inputType: 'password' } };
}
