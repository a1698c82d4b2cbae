import type { BotReply } from './bot-harness';
import { type DlActivity, directLineClient, openStream } from './directline-client';
import type { Chat } from './walk';

const fromBot = (a: DlActivity) => a.from?.role === 'bot' && a.type === 'message';

/**
 * A `Chat` (test/support/walk.ts) over the local Direct Line: a token from the page's route, the
 * conversation started as Web Chat starts it, the replies read from the WebSocket stream. Each step
 * returns the bot's messages that answer it (replyToId), once the bot has stopped sending.
 */
export async function directLineChat(baseUrl: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${baseUrl}/api/directline/token`, { method: 'POST' });
  if (response.status !== 200) throw new Error(`token route: HTTP ${response.status}`);
  const page = (await response.json()) as { token: string; domain: string; conversationId: string };
  const dl = directLineClient(page.domain);
  let stream: Awaited<ReturnType<typeof openStream>> | undefined;

  const replies = (predicate: (a: DlActivity) => boolean): BotReply[] =>
    (stream?.activities() ?? []).filter((a) => fromBot(a) && predicate(a)) as unknown as BotReply[];

  const send = async (activity: Record<string, unknown>): Promise<BotReply[]> => {
    const posted = await dl.post(page.token, page.conversationId, { ...extra, ...activity });
    if (posted.status !== 200) throw new Error(`post: HTTP ${posted.status}`);
    // The POST returns once the bot's turn is over; the stream may still be delivering the last frames.
    await stream?.settle(150);
    return replies((a) => a.replyToId === posted.body.id);
  };

  const chat: Chat & { stream: () => NonNullable<typeof stream>; close(): Promise<void> } = {
    id: page.conversationId,
    async join() {
      const started = await dl.start(page.token);
      if (started.status !== 201) throw new Error(`start: HTTP ${started.status}`);
      stream = await openStream(started.body.streamUrl);
      await stream.waitFor(fromBot);
      await stream.settle(150);
      return replies((a) => !a.replyToId);
    },
    say: (text) => send({ type: 'message', text }),
    submit: (value) => send({ type: 'message', value }),
    stream: () => {
      if (!stream) throw new Error('join() first');
      return stream;
    },
    close: async () => stream?.close(),
  };
  return chat;
}
