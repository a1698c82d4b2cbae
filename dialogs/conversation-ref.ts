import type { ConversationRefJson } from '../src/domain/accounts/ports';
import type { TurnContext } from './types';

/**
 * Where to tell the teacher that the account is confirmed. The same fields as botbuilder's
 * ConversationReference, built by hand so that dialogs do not depend on botbuilder itself.
 */
export function conversationRefOf(context: TurnContext): ConversationRefJson {
  const a = context.activity;
  return {
    activityId: a.id,
    user: a.from ? { id: a.from.id, name: a.from.name } : undefined,
    bot: a.recipient ? { id: a.recipient.id, name: a.recipient.name } : undefined,
    conversation: a.conversation
      ? {
          id: a.conversation.id,
          conversationType: a.conversation.conversationType,
          tenantId: a.conversation.tenantId,
          isGroup: a.conversation.isGroup,
          name: undefined,
        }
      : undefined,
    channelId: a.channelId,
    locale: 'fr-FR',
    serviceUrl: a.serviceUrl,
  };
}

/**
 * Who asks, across conversations: « channel:user id » (on Web Chat, the `dl_…` id our token route chose;
 * in a turn resumed by the password page, the user of the stored reference). Absent without both.
 */
export function requesterOf(context: TurnContext): { requester?: string } {
  const { channelId, from } = context.activity;
  return channelId && from?.id ? { requester: `${channelId}:${from.id}` } : {};
}
