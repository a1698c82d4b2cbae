import { randomUUID } from 'node:crypto';
import type { BotReply } from './bot-harness';
import type { Chat } from './walk';

export interface Delivery {
  status: number;
  replies: BotReply[];
}

/**
 * One conversation whose activities can go to any bot instance (several processes behind a load
 * balancer) and carry a chosen activity id (a channel's retry). Unlike the harness, it never throws on
 * the HTTP status: fault tests assert it.
 */
export function roamingConversation(serviceUrl: string, channelId = 'webchat') {
  const id = `conv-${randomUUID()}`;
  const user = { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
  const bot = { id: 'assistant-electeur', name: 'Assistant électeur' };

  /** The activity as a channel posts it; `activity` may fix its `id`. */
  const activity = (fields: Record<string, unknown>) => ({
    id: randomUUID(),
    channelId,
    serviceUrl,
    conversation: { id },
    from: user,
    recipient: bot,
    deliveryMode: 'expectReplies',
    locale: 'fr-FR',
    timestamp: new Date().toISOString(),
    ...fields,
  });

  const post = async (baseUrl: string, body: Record<string, unknown>): Promise<Delivery> => {
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let replies: BotReply[] = [];
    if (text) {
      try {
        replies = (JSON.parse(text) as { activities?: BotReply[] }).activities ?? [];
      } catch {
        throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
      }
    }
    return { status: response.status, replies };
  };

  /** Replies of a turn that must have been answered with a 200. */
  const ok = async (delivery: Promise<Delivery>): Promise<BotReply[]> => {
    const { status, replies } = await delivery;
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return replies;
  };

  const join = (baseUrl: string) =>
    ok(post(baseUrl, activity({ type: 'conversationUpdate', membersAdded: [bot, user] })));
  const say = (baseUrl: string, text: string) => ok(post(baseUrl, activity({ type: 'message', text })));
  const submit = (baseUrl: string, value: Record<string, unknown>) =>
    ok(post(baseUrl, activity({ type: 'message', value })));

  return {
    id,
    channelId,
    /** The botbuilder ConversationState storage key of this conversation. */
    stateKey: `${channelId}/conversations/${id}/`,
    activity,
    post,
    join,
    say,
    submit,
    /** The same conversation, bound to one instance, for the walk helpers. */
    on: (baseUrl: string): Chat => ({
      id,
      join: () => join(baseUrl),
      say: (text) => say(baseUrl, text),
      submit: (value) => submit(baseUrl, value),
    }),
  };
}

export type RoamingConversation = ReturnType<typeof roamingConversation>;

/** The card submit of the password step, as Web Chat posts it. */
export function passwordCard(password: string): Record<string, unknown> {
  return { action: 'password', password, confirmation: password };
}
