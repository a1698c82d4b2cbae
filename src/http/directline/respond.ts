import type { IncomingMessage, ServerResponse } from 'node:http';
import { t } from '../../i18n';
import { sendJson } from '../respond';

/** Direct Line's own error shape (`{ error: { code, message } }`), with our French message. */
export type ErrorKey =
  | 'tooManyRequests'
  | 'originNotAllowed'
  | 'upstreamUnavailable'
  | 'tokenMissing'
  | 'tokenExpired'
  | 'forbidden'
  | 'conversationNotFound'
  | 'activityNotFound'
  | 'unsupportedActivity'
  | 'botUnavailable';

/** Keys spelled out (not built): the locale tests find every `messageKey` literal in the code. */
const ERRORS: Readonly<Record<ErrorKey, { status: number; code: string; messageKey: string }>> = {
  tooManyRequests: { status: 429, code: 'TooManyRequests', messageKey: 'directline.errors.tooManyRequests' },
  originNotAllowed: {
    status: 403,
    code: 'OriginNotAllowed',
    messageKey: 'directline.errors.originNotAllowed',
  },
  upstreamUnavailable: {
    status: 502,
    code: 'UpstreamUnavailable',
    messageKey: 'directline.errors.upstreamUnavailable',
  },
  tokenMissing: { status: 401, code: 'Unauthorized', messageKey: 'directline.errors.tokenMissing' },
  // Direct Line answers 403 to an expired token, and Web Chat's client treats exactly 403 as "expired".
  tokenExpired: { status: 403, code: 'TokenExpired', messageKey: 'directline.errors.tokenExpired' },
  forbidden: { status: 403, code: 'Forbidden', messageKey: 'directline.errors.forbidden' },
  conversationNotFound: {
    status: 404,
    code: 'NotFound',
    messageKey: 'directline.errors.conversationNotFound',
  },
  activityNotFound: { status: 404, code: 'NotFound', messageKey: 'directline.errors.activityNotFound' },
  unsupportedActivity: {
    status: 400,
    code: 'BadArgument',
    messageKey: 'directline.errors.unsupportedActivity',
  },
  botUnavailable: { status: 502, code: 'BotError', messageKey: 'directline.errors.botUnavailable' },
};

/** Every answer of these routes is per-user (tokens, conversations): the edge's, never cached anywhere. */
export { sendJson };

export function sendError(
  res: ServerResponse,
  key: ErrorKey,
  headers: Readonly<Record<string, string>> = {},
): void {
  const { status, code, messageKey } = ERRORS[key];
  sendJson(res, status, { error: { code, message: t(messageKey) } }, headers);
}

export function sendInternalError(res: ServerResponse): void {
  sendJson(res, 500, { error: { code: 'Internal', message: t('errors.internal') } });
}

/** A 4xx from the shared JSON reader (bad JSON, too large, wrong content type), in the same shape. */
export function sendBadRequest(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: 'BadArgument', message } });
}

/**
 * CORS: the page served by this server (its own origins, see origins.ts) and the sites configured (the
 * widget on an académie's site), compared as whole origins. Never `*`: a token is a key to a conversation.
 * Never the Host header either: a page that rebinds its own name to this server sends it in Host and
 * Origin alike.
 */
export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // Not a browser's cross-site call: CORS does not apply.
  return allowedOrigins.includes(origin);
}

/** The CORS headers of an allowed request (none when the request has no Origin). */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
}

/** Answers a preflight: 204 with the methods and headers allowed, or 403 without any CORS header. */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  allowedOrigins: readonly string[],
  methods: string,
): void {
  if (!req.headers.origin || !originAllowed(req, allowedOrigins)) {
    sendError(res, 'originNotAllowed', { Vary: 'Origin' });
    return;
  }
  res.writeHead(204, {
    ...corsHeaders(req),
    'Access-Control-Allow-Methods': methods,
    // Web Chat's Direct Line client sends its own agent header besides the Bearer token.
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, x-ms-bot-agent',
    'Access-Control-Max-Age': '600',
    'Cache-Control': 'no-store',
  });
  res.end();
}
