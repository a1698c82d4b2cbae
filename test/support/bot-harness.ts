import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { type App, buildApp } from '../../src/index';
import { createLogger, type Logger, silentLogger } from '../../src/log';
import { startFakeConnector } from './fake-connector';
import { TEST_REDIS_URL, testRedis } from './redis';
import { startSmtpSink } from './smtp-sink';

export interface BotReply {
  type: string;
  text?: string;
  attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
  suggestedActions?: { actions: Array<{ title: string; value: string }> };
  channelData?: Record<string, unknown>;
  locale?: string;
}

/** Inside the 2014 account window (Paris time). */
export const DEMO_NOW = '2014-11-20T09:00:00+01:00';

/**
 * The real app, as `src/index.ts` builds it, on port 0 with real Redis (a private key prefix) and a real
 * SMTP server (in-process sink), plus a fake channel connector for proactive messages.
 */
export async function startBot(env: Record<string, string> = {}, options: { logger?: Logger } = {}) {
  const redis = await testRedis();
  const smtp = await startSmtpSink();
  const connector = await startFakeConnector();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redis.prefix,
    SMTP_URL: smtp.url,
    CLOCK_NOW: DEMO_NOW,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app: App = buildApp(
    config,
    options.logger ?? (process.env.TEST_LOG ? createLogger('debug') : silentLogger()),
  );
  const url = await app.start();

  const post = async (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** One conversation with the bot, on the channel given (webchat renders cards, cli does not). */
  const conversation = (channelId = 'webchat', extra: Record<string, unknown> = {}) => {
    const id = `conv-${randomUUID()}`;
    const user = { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
    const bot = { id: 'assistant-electeur', name: 'Assistant électeur' };
    const send = async (activity: Record<string, unknown>): Promise<BotReply[]> => {
      const response = await post({
        id: randomUUID(),
        channelId,
        serviceUrl: connector.serviceUrl,
        conversation: { id },
        from: user,
        recipient: bot,
        deliveryMode: 'expectReplies',
        locale: 'fr-FR',
        timestamp: new Date().toISOString(),
        ...extra,
        ...activity,
      });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      const text = await response.text();
      return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
    };
    return {
      id,
      user,
      send,
      join: () => send({ type: 'conversationUpdate', membersAdded: [bot, user] }),
      say: (text: string) => send({ type: 'message', text }),
      submit: (value: Record<string, unknown>) => send({ type: 'message', value }),
    };
  };

  return {
    app,
    url,
    redis,
    smtp,
    connector,
    post,
    conversation,
    async close() {
      await app.stop();
      await connector.close();
      await smtp.close();
      await redis.cleanup();
    },
  };
}

export type BotHarness = Awaited<ReturnType<typeof startBot>>;

/** The texts of the replies, joined, for readable assertions. */
export function textOf(replies: readonly BotReply[]): string {
  return replies.map((r) => r.text ?? '').join('\n');
}

/** The confirmation link of a mail, from its text part. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+\/confirmation\?jeton=[A-Za-z0-9_%-]+/.exec(text);
  if (!match) throw new Error('no confirmation link in the mail');
  return match[0];
}

export interface PageAnswer {
  readonly status: number;
  readonly html: string;
}

/** The hidden token of the confirmation form in a page, when the page shows the form. */
export function formTokenIn(html: string): string | undefined {
  return /<input type="hidden" name="jeton" value="([^"]*)">/.exec(html)?.[1];
}

/** POSTs the confirmation form (token and password) to the server of `link`. */
export async function submitConfirmation(
  link: string,
  token: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<PageAnswer> {
  const response = await fetch(new URL('/confirmation', link), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ jeton: token, password }).toString(),
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text() };
}

/**
 * What the teacher does with the mailed link: opens it (a GET that changes nothing), types the password
 * chosen in the chat into the page's form and submits it. Returns the answer to the form, or the page
 * itself when the link shows no form (used, replaced, expired…).
 */
export async function confirmByLink(
  link: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<PageAnswer> {
  const response = await fetch(link, { headers, redirect: 'manual' });
  const html = await response.text();
  const token = formTokenIn(html);
  if (token === undefined) return { status: response.status, html };
  return submitConfirmation(link, token, password, headers);
}
