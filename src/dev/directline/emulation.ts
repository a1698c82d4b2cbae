import type { Request, Response, Server } from 'restify';
import { DIRECTLINE_PREFIX } from '../../http/directline/paths';
import {
  answeredBodyError,
  clientBaseUrl,
  isLoopback,
  isRecord,
  readOptionalJson,
  shortString,
} from '../../http/directline/request';
import {
  answerPreflight,
  corsHeaders,
  originAllowed,
  sendError,
  sendInternalError,
  sendJson,
} from '../../http/directline/respond';
import {
  bearerOf,
  type DirectLineClaims,
  isUserId,
  newConversationId,
  newUserId,
  sameSecret,
  type TokenService,
} from '../../http/directline/tokens';
import type { Logger } from '../../log';
import { type Activity, activityId, type Conversation, type ConversationStore } from './store';

/** The bot as the channel names it, in `recipient` of what we deliver and `from` of what it sends. */
export interface BotAccount {
  readonly id: string;
  readonly name: string;
}

export interface EmulationDeps {
  readonly store: ConversationStore;
  readonly tokens: TokenService;
  /**
   * Runs one turn in this process (the same validation and adapter as POST /api/messages, no loopback
   * HTTP) and gives back the replies of an `expectReplies` delivery.
   */
  readonly runTurn: (activity: Activity) => Promise<readonly unknown[]>;
  /**
   * Where this process listens: the bot's serviceUrl, for the messages it sends outside a turn (the
   * confirmation, the password page's resume), which reach the connector routes below.
   */
  readonly localBaseUrl: () => string;
  /** WEBCHAT_ORIGINS and this server's own origins (origins.ts); asked per request (the port comes late). */
  readonly allowedOrigins: () => readonly string[];
  readonly ownOrigins: () => readonly string[];
  readonly bot: BotAccount;
  readonly logger: Logger;
  /** How long the bot may take to answer one delivery (Direct Line gives it 15 s). */
  readonly deliveryTimeoutMs?: number;
}

/** Direct Line's channel id: dialogs/channel.ts renders cards and suggested actions for it. */
export const CHANNEL_ID = 'directline';

/** A message or a card submission is small; 64 KB leaves room for an Adaptive Card's `value`. */
const MAX_CLIENT_BODY = 64 * 1024;
/** What the bot posts back (cards with their texts) is larger; the same cap as /api/messages. */
const MAX_BOT_BODY = 256 * 1024;
/** What Web Chat posts; anything else (invoke, conversationUpdate…) is the channel's to send, not the user's. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);

type Handler = (req: Request, res: Response, cors: Record<string, string>) => Promise<void>;

/** The Direct Line 3.0 routes Web Chat uses, and the connector routes the bot answers on. */
export function mountEmulation(server: Server, deps: EmulationDeps): void {
  const { store, tokens, logger, bot } = deps;
  const timeoutMs = deps.deliveryTimeoutMs ?? 15_000;

  /** CORS and failures common to every client route; handlers only do their own work. */
  const route =
    (handler: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      if (!originAllowed(req, deps.allowedOrigins())) {
        sendError(res, 'originNotAllowed', { Vary: 'Origin' });
        return;
      }
      try {
        await handler(req, res, corsHeaders(req));
      } catch (error) {
        failed(error, res);
      }
    };

  /**
   * Every failure is answered here, in JSON: a body the reader refused is a 4xx; anything else a 500
   * without details (they are logged, never the activity itself).
   */
  const failed = (error: unknown, res: Response) => {
    if (answeredBodyError(error, res)) return;
    logger.error(
      { err: { name: (error as Error).name, message: (error as Error).message } },
      'local Direct Line failed',
    );
    sendInternalError(res);
  };

  const preflight = (methods: string) => async (req: Request, res: Response) =>
    answerPreflight(req, res, deps.allowedOrigins(), methods);

  /**
   * The claims of the request's token, or undefined once the error is answered. Expired → 403 (what
   * Direct Line answers and what Web Chat's client understands as "expired"); absent or forged → 401; a
   * valid token for another conversation or another user → 403.
   */
  const authorize = (
    req: Request,
    res: Response,
    cors: Record<string, string>,
    conversationId?: string,
  ): DirectLineClaims | undefined => {
    const check = tokens.verify(bearerOf(req.headers.authorization));
    if (!check.ok || check.claims.kind !== 'conversation') {
      sendError(res, check.ok || check.problem !== 'expired' ? 'tokenMissing' : 'tokenExpired', cors);
      return undefined;
    }
    if (conversationId !== undefined && check.claims.conv !== conversationId) {
      sendError(res, 'forbidden', cors);
      return undefined;
    }
    return check.claims;
  };

  /** The conversation if the claims' user owns it, undefined if there is none, false (403 answered) if not theirs. */
  const owned = (
    conversation: Conversation | undefined,
    claims: DirectLineClaims,
    res: Response,
    cors: Record<string, string>,
  ): Conversation | undefined | false => {
    if (conversation && conversation.userId !== claims.user) {
      sendError(res, 'forbidden', cors);
      return false;
    }
    return conversation;
  };

  /** The token's own, running conversation for the activity routes; otherwise the error is sent. */
  const existingConversation = (req: Request, res: Response, cors: Record<string, string>) => {
    const claims = authorize(req, res, cors, req.params.conversationId);
    if (!claims) return undefined;
    const conversation = owned(store.get(claims.conv), claims, res, cors);
    if (conversation === false) return undefined;
    if (!conversation) {
      sendError(res, 'conversationNotFound', cors);
      return undefined;
    }
    return { claims, conversation };
  };

  const tokenAnswer = (claims: Pick<DirectLineClaims, 'user' | 'conv'>) => {
    const { token, expiresIn } = tokens.issue(claims);
    return { conversationId: claims.conv, token, expires_in: expiresIn };
  };

  /** The stream URL carries its own short-lived token: URLs end up in logs, a 30-minute key should not. */
  const streamUrl = (req: Request, conversation: Conversation, watermark?: string) => {
    const base = clientBaseUrl(req, deps.ownOrigins(), deps.localBaseUrl()).replace(/^http/, 'ws');
    const { token } = tokens.issue({ user: conversation.userId, conv: conversation.id }, { kind: 'stream' });
    const query = new URLSearchParams({ t: token });
    if (watermark) query.set('watermark', watermark);
    return `${base}${DIRECTLINE_PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?${query}`;
  };

  const conversationAnswer = (req: Request, conversation: Conversation, watermark?: string) => ({
    ...tokenAnswer({ user: conversation.userId, conv: conversation.id }),
    streamUrl: streamUrl(req, conversation, watermark),
    referenceGrammarId: '',
  });

  /** The common part of what the bot receives: Direct Line's channel, our connector, the bot, the user. */
  const envelope = (conversation: Conversation, seq: number) => ({
    id: activityId(conversation.id, seq),
    timestamp: new Date().toISOString(),
    channelId: CHANNEL_ID,
    serviceUrl: `${deps.localBaseUrl()}/`,
    conversation: { id: conversation.id },
    recipient: { id: bot.id, name: bot.name, role: 'bot' },
  });

  /**
   * One turn, in process and after the conversation's previous deliveries (order matters). The replies
   * come back with the turn (`expectReplies`) and are stored as the bot's, as if it had posted them.
   */
  const deliver = (conversation: Conversation, activity: Activity): Promise<void> => {
    const run = conversation.queue.then(async () => {
      const replies = await withTimeout(
        deps.runTurn({ ...activity, deliveryMode: 'expectReplies' }),
        timeoutMs,
      );
      for (const reply of replies) {
        const stored = botActivity(reply, conversation);
        if (stored) store.append(conversation, stored);
      }
    });
    conversation.queue = run.catch(() => undefined);
    return run;
  };

  /**
   * Starts a conversation: one conversationUpdate with the bot and the user in membersAdded, which is
   * what makes the bot say its welcome. Not awaited by the caller: the welcome reaches the stream (or the
   * next poll) like any other reply, and a stream that connects late is sent what it missed.
   */
  const start = (id: string, userId: string, locale: string | undefined): Conversation => {
    const conversation = store.create(id, userId);
    const update: Activity = {
      type: 'conversationUpdate',
      ...envelope(conversation, store.nextSeq(conversation)),
      from: { id: userId, role: 'user' },
      membersAdded: [
        { id: bot.id, name: bot.name, role: 'bot' },
        { id: userId, role: 'user' },
      ],
      ...(locale ? { locale } : {}),
    };
    deliver(conversation, update).catch((error: unknown) =>
      logger.warn({ err: { message: (error as Error).message } }, 'local Direct Line: welcome not delivered'),
    );
    return conversation;
  };

  /** The conversation of a valid token, started now if it was not yet (a token fresh from our route). */
  const ensure = (
    claims: DirectLineClaims,
    locale?: string,
  ): { conversation: Conversation; created: boolean } => {
    const existing = store.get(claims.conv);
    if (existing) return { conversation: existing, created: false };
    return { conversation: start(claims.conv, claims.user, locale), created: true };
  };

  // --- Tokens ---------------------------------------------------------------------------------------

  server.opts(`${DIRECTLINE_PREFIX}/tokens/generate`, preflight('POST, OPTIONS'));
  server.post(
    `${DIRECTLINE_PREFIX}/tokens/generate`,
    route(async (req, res, cors) => {
      const bearer = bearerOf(req.headers.authorization);
      const body = await readOptionalJson(req, 4 * 1024);
      if (bearer && sameSecret(bearer, tokens.secret)) {
        // The secret's holder is a server (our own token route): it may choose the user, within dl_ ids.
        const requested = isRecord(body) && isRecord(body.user) ? body.user.id : undefined;
        const user = isUserId(requested) ? requested : newUserId();
        sendJson(res, 200, tokenAnswer({ user, conv: newConversationId() }), cors);
        return;
      }
      // A token may also ask for a new one, for its own conversation only (the same as a refresh).
      const claims = authorize(req, res, cors);
      if (claims) sendJson(res, 200, tokenAnswer(claims), cors);
    }),
  );

  server.opts(`${DIRECTLINE_PREFIX}/tokens/refresh`, preflight('POST, OPTIONS'));
  server.post(
    `${DIRECTLINE_PREFIX}/tokens/refresh`,
    route(async (req, res, cors) => {
      await readOptionalJson(req, 4 * 1024);
      const claims = authorize(req, res, cors);
      if (!claims) return;
      const conversation = store.get(claims.conv);
      if (owned(conversation, claims, res, cors) === false) return;
      if (conversation) store.touch(conversation);
      sendJson(res, 200, tokenAnswer(claims), cors);
    }),
  );

  // --- Conversations -------------------------------------------------------------------------------

  server.opts(`${DIRECTLINE_PREFIX}/conversations`, preflight('POST, OPTIONS'));
  server.post(
    `${DIRECTLINE_PREFIX}/conversations`,
    route(async (req, res, cors) => {
      const body = await readOptionalJson(req, 4 * 1024);
      const locale = isRecord(body) ? shortString(body.locale, 64) : undefined;
      const bearer = bearerOf(req.headers.authorization);
      if (bearer && sameSecret(bearer, tokens.secret)) {
        const requested = isRecord(body) && isRecord(body.user) ? body.user.id : undefined;
        const user = isUserId(requested) ? requested : newUserId();
        const conversation = start(newConversationId(), user, locale);
        sendJson(res, 201, conversationAnswer(req, conversation), cors);
        return;
      }
      const claims = authorize(req, res, cors);
      if (!claims) return;
      if (owned(store.get(claims.conv), claims, res, cors) === false) return;
      // Like Direct Line: 201 when this call starts the conversation, 200 when the token's one already runs.
      const { conversation, created } = ensure(claims, locale);
      sendJson(res, created ? 201 : 200, conversationAnswer(req, conversation), cors);
    }),
  );

  server.opts(`${DIRECTLINE_PREFIX}/conversations/:conversationId`, preflight('GET, OPTIONS'));
  server.get(
    `${DIRECTLINE_PREFIX}/conversations/:conversationId`,
    route(async (req, res, cors) => {
      const claims = authorize(req, res, cors, req.params.conversationId);
      if (!claims) return;
      if (owned(store.get(claims.conv), claims, res, cors) === false) return;
      // Web Chat given a conversationId reconnects (GET) rather than starts (POST): both start it once.
      const { conversation } = ensure(claims);
      store.touch(conversation);
      const watermark = shortString((req.query as Record<string, unknown>)?.watermark, 16);
      sendJson(res, 200, conversationAnswer(req, conversation, watermark), cors);
    }),
  );

  // --- Activities ----------------------------------------------------------------------------------

  const activitiesPath = `${DIRECTLINE_PREFIX}/conversations/:conversationId/activities`;
  server.opts(activitiesPath, preflight('GET, POST, OPTIONS'));

  server.get(
    activitiesPath,
    route(async (req, res, cors) => {
      const found = existingConversation(req, res, cors);
      if (!found) return;
      const { conversation } = found;
      store.touch(conversation);
      const watermark = shortString((req.query as Record<string, unknown>)?.watermark, 16);
      sendJson(res, 200, store.since(conversation, watermark), cors);
    }),
  );

  server.post(
    activitiesPath,
    route(async (req, res, cors) => {
      const found = existingConversation(req, res, cors);
      if (!found) return;
      const { claims, conversation } = found;
      const body = await readOptionalJson(req, MAX_CLIENT_BODY);
      if (!isRecord(body) || typeof body.type !== 'string' || !CLIENT_TYPES.has(body.type)) {
        sendError(res, 'unsupportedActivity', cors);
        return;
      }
      const activity = fromClient(body, claims, envelope(conversation, store.nextSeq(conversation)));
      // The echo first, with the very id the bot receives: Web Chat matches it to what it sent (by
      // clientActivityID) and holds the bot's replies (replyToId) until it has seen it.
      const { serviceUrl: _, ...echo } = activity;
      store.append(conversation, echo as Activity, seqOf(activity.id));
      try {
        await deliver(conversation, activity);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'local Direct Line: delivery failed');
        sendError(res, 'botUnavailable', cors);
        return;
      }
      sendJson(res, 200, { id: activity.id }, cors);
    }),
  );

  // --- Connector: where the bot's replies arrive (serviceUrl points here) ----------------------------

  /**
   * Only from this machine: the bot posts from this very process, and nobody else may put words in the
   * bot's mouth in a teacher's conversation.
   */
  const connector =
    (handler: (req: Request, res: Response, conversation: Conversation) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      if (!isLoopback(req)) {
        sendError(res, 'forbidden');
        return;
      }
      const conversation = store.get(String(req.params.conversationId));
      if (!conversation) {
        sendError(res, 'conversationNotFound');
        return;
      }
      try {
        await handler(req, res, conversation);
      } catch (error) {
        failed(error, res);
      }
    };

  const botActivityOf = async (req: Request, conversation: Conversation): Promise<Activity | undefined> =>
    botActivity(await readOptionalJson(req, MAX_BOT_BODY), conversation);

  function botActivity(body: unknown, conversation: Conversation): Activity | undefined {
    if (!isRecord(body) || typeof body.type !== 'string' || body.type.length > 64) return undefined;
    const { serviceUrl: _, id: __, ...rest } = body;
    const from = isRecord(body.from) ? body.from : { id: bot.id, name: bot.name };
    return {
      ...rest,
      type: body.type,
      // Set by the channel, as Direct Line does: the bot does not stamp its activities.
      timestamp: new Date().toISOString(),
      channelId: CHANNEL_ID,
      conversation: { id: conversation.id },
      from: { ...from, role: 'bot' },
    };
  }

  const postFromBot = connector(async (req, res, conversation) => {
    const activity = await botActivityOf(req, conversation);
    if (!activity) {
      sendError(res, 'unsupportedActivity');
      return;
    }
    const stored = store.append(conversation, activity);
    sendJson(res, 200, { id: stored.id });
  });
  server.post('/v3/conversations/:conversationId/activities', postFromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', postFromBot);

  // Updates and deletions are rare (a card replaced after its submission); cheap to support.
  server.put(
    '/v3/conversations/:conversationId/activities/:activityId',
    connector(async (req, res, conversation) => {
      const activity = await botActivityOf(req, conversation);
      if (!activity) {
        sendError(res, 'unsupportedActivity');
        return;
      }
      const replaced = store.replace(conversation, String(req.params.activityId), activity);
      if (!replaced) sendError(res, 'activityNotFound');
      else sendJson(res, 200, { id: replaced.id });
    }),
  );
  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    connector(async (req, res, conversation) => {
      if (store.remove(conversation, String(req.params.activityId))) sendJson(res, 200, undefined);
      else sendError(res, 'activityNotFound');
    }),
  );
}

/** The sequence number at the end of an id we gave (`<conversationId>|0000042`). */
function seqOf(id: unknown): number {
  return Number(String(id).split('|').at(-1));
}

/**
 * What the bot receives from a user activity: the channel's envelope (id, channel, conversation, bot), the
 * user from the token (a client cannot speak as someone else), and the client's own fields that the bot
 * uses — time zone, locale, card values, channelData (Web Chat's clientActivityID), attachments, entities.
 */
function fromClient(
  body: Record<string, unknown>,
  claims: DirectLineClaims,
  envelope: Record<string, unknown>,
): Activity & { id: string; serviceUrl?: string } {
  const from = isRecord(body.from) ? body.from : {};
  const name = shortString(from.name, 100);
  const activity: Activity & { id: string } = {
    type: String(body.type),
    ...(envelope as { id: string }),
    from: { id: claims.user, ...(name ? { name } : {}), role: 'user' },
  };
  const strings: Array<[string, number]> = [
    ['text', 100_000],
    ['textFormat', 16],
    ['locale', 64],
    ['localTimestamp', 64],
    ['localTimezone', 64],
    ['name', 256],
    ['valueType', 256],
    ['replyToId', 512],
  ];
  for (const [key, max] of strings) {
    const value = body[key];
    if (typeof value === 'string' && value.length <= max) activity[key] = value;
  }
  if (body.value !== undefined) activity.value = body.value;
  if (isRecord(body.channelData)) activity.channelData = body.channelData;
  if (Array.isArray(body.attachments)) activity.attachments = body.attachments;
  if (Array.isArray(body.entities)) activity.entities = body.entities;
  return activity;
}

/** The turn's promise, or a rejection once Direct Line would have given up on the bot (15 s). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the bot did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
