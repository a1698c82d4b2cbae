import { randomUUID } from 'node:crypto';
import type { BotReply } from './bot-harness';
import type { Chat } from './walk';

/**
 * Conversations with any running bot over HTTP (deliveryMode expectReplies), for apps built outside the
 * Redis harness (the embedded mode).
 */
export function httpChat(baseUrl: string, serviceUrl: string) {
  return (channelId = 'webchat'): Chat => {
    const id = `conv-${randomUUID()}`;
    const user = { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
    const bot = { id: 'assistant-electeur', name: 'Assistant électeur' };
    const send = async (activity: Record<string, unknown>): Promise<BotReply[]> => {
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          id: randomUUID(),
          channelId,
          serviceUrl,
          conversation: { id },
          from: user,
          recipient: bot,
          deliveryMode: 'expectReplies',
          locale: 'fr-FR',
          timestamp: new Date().toISOString(),
          ...activity,
        }),
      });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      const text = await response.text();
      return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
    };
    return {
      id,
      join: () => send({ type: 'conversationUpdate', membersAdded: [bot, user] }),
      say: (text: string) => send({ type: 'message', text }),
      submit: (value: Record<string, unknown>) => send({ type: 'message', value }),
    };
  };
}
