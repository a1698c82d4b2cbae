import { createHash } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import { CLIENT_MEMORY_MS, type ClientDirectory } from '../../domain/limits/clients';
import { type RateLimiter, retryAfterSeconds } from '../../domain/limits/rate-limiter';
import { RULES } from '../../domain/limits/rules';
import type { Logger } from '../../log';
import { clientAddress } from '../client-address';
import { clientNetwork } from '../client-network';
import { DIRECTLINE_PREFIX } from './paths';
import { clientBaseUrl, isRecord, shortString } from './request';
import {
  answerPreflight,
  corsHeaders,
  originAllowed,
  sendError,
  sendInternalError,
  sendJson,
} from './respond';
import { newConversationId, newUserId, type TokenService } from './tokens';

export const TOKEN_ROUTE = '/api/directline/token';

/** What the page receives; it hands `token` and `domain` to `WebChat.createDirectLine`. */
export interface TokenResponse {
  readonly token: string;
  /** The Direct Line base URL, e.g. https://europe.directline.botframework.com/v3/directline. */
  readonly domain: string;
  readonly conversationId?: string;
  /** The `dl_…` user id bound into the token (Web Chat reads it from the token itself). */
  readonly userId: string;
  readonly expires_in: number;
}

export interface TokenRouteDeps {
  readonly webChat: Config['webChat'];
  /** The origins this server answers on (origins.ts), besides WEBCHAT_ORIGINS: the page's own. */
  readonly ownOrigins: () => readonly string[];
  /** Set in local mode only: tokens of the emulation, issued here without any network call. */
  readonly localTokens: TokenService | undefined;
  readonly localBaseUrl: () => string;
  /** Shared by every instance: RULES.directLineTokenPerIp. */
  readonly limiter: RateLimiter;
  /** Remembers which client each user id was given to (account requests are also counted per client). */
  readonly clients?: Pick<ClientDirectory, 'remember'>;
  /** The application clock, in ms. */
  readonly now: () => number;
  readonly trustProxy: boolean;
  readonly logger: Logger;
  /** Azure's answer may take a moment; a page waiting longer than this is better told to retry. */
  readonly upstreamTimeoutMs?: number;
}

/**
 * `POST /api/directline/token`: the only way the page gets a Direct Line token. The Direct Line secret
 * stays on this server; the user id is chosen here (`dl_<random>`) and bound into the token, so that a
 * visitor cannot speak as another one.
 */
export function mountTokenRoute(server: Server, deps: TokenRouteDeps): void {
  const { webChat, logger } = deps;

  const answer = async (req: Request, res: Response): Promise<void> => {
    const own = deps.ownOrigins();
    if (!originAllowed(req, [...webChat.allowedOrigins, ...own])) {
      sendError(res, 'originNotAllowed', { Vary: 'Origin' });
      return;
    }
    const cors = corsHeaders(req);
    const ip = clientAddress(req, deps.trustProxy);
    const verdict = await deps.limiter.consume(RULES.directLineTokenPerIp, ip, deps.now());
    if (!verdict.allowed) {
      const wait = retryAfterSeconds(verdict.retryAfterMs);
      sendError(res, 'tooManyRequests', { ...cors, 'Retry-After': String(wait) });
      return;
    }

    const userId = newUserId();
    // Only a digest of the client's network: the account budget needs to tell clients apart, not name them.
    await deps.clients?.remember(userId, clientDigest(ip), CLIENT_MEMORY_MS);
    if (deps.localTokens) {
      const conversationId = newConversationId();
      const { token, expiresIn } = deps.localTokens.issue({ user: userId, conv: conversationId });
      const body: TokenResponse = {
        token,
        domain: `${clientBaseUrl(req, own, deps.localBaseUrl())}${DIRECTLINE_PREFIX}`,
        conversationId,
        userId,
        expires_in: expiresIn,
      };
      sendJson(res, 200, body, cors);
      return;
    }

    const secret = webChat.directLineSecret;
    if (!secret) {
      sendError(res, 'upstreamUnavailable', cors);
      return;
    }
    const upstream = await generateToken(webChat.directLineDomain, secret, userId, deps.upstreamTimeoutMs);
    if (!upstream.ok) {
      // The status only: Azure's body could echo what we sent, and what we sent holds the secret's header.
      logger.warn({ status: upstream.status }, 'Direct Line token not obtained');
      sendError(res, 'upstreamUnavailable', cors);
      return;
    }
    const body: TokenResponse = {
      token: upstream.token,
      domain: webChat.directLineDomain,
      ...(upstream.conversationId ? { conversationId: upstream.conversationId } : {}),
      userId,
      expires_in: upstream.expiresIn,
    };
    sendJson(res, 200, body, cors);
  };

  server.opts(TOKEN_ROUTE, async (req: Request, res: Response) =>
    answerPreflight(req, res, [...webChat.allowedOrigins, ...deps.ownOrigins()], 'POST, OPTIONS'),
  );

  server.post(TOKEN_ROUTE, async (req: Request, res: Response) => {
    // The body, if any, is not read: nothing the client says changes what it gets.
    req.resume();
    try {
      await answer(req, res);
    } catch (error) {
      // Answered here: the page gets JSON, the log gets the error's name and message only.
      logger.error(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'token route failed',
      );
      sendInternalError(res);
    }
  });
}

type Upstream =
  | { ok: true; token: string; conversationId: string | undefined; expiresIn: number }
  | { ok: false; status: number | 'network' | 'invalid' };

/** `POST {domain}/tokens/generate` with the secret, for a user id we chose. */
async function generateToken(
  domain: string,
  secret: string,
  userId: string,
  timeoutMs = 10_000,
): Promise<Upstream> {
  let response: globalThis.Response;
  try {
    response = await fetch(`${domain}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { ok: false, status: 'network' };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, status: response.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, status: 'invalid' };
  }
  const token = isRecord(parsed) ? shortString(parsed.token, 8_192) : undefined;
  if (!isRecord(parsed) || !token) return { ok: false, status: 'invalid' };
  const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 1800;
  return { ok: true, token, conversationId: shortString(parsed.conversationId, 256), expiresIn };
}

/** One client as the account budget counts it: its network (an IPv6 /64), as a short digest. */
function clientDigest(ip: string): string {
  return createHash('sha256').update(clientNetwork(ip)).digest('base64url').slice(0, 22);
}
