import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The local Direct Line's tokens: HS256 JWTs, like the ones Azure issues, because Web Chat reads the
 * `user` claim from the token's payload (and then trusts it as the user's id). Each token is bound to one
 * conversation (`conv`), so that a token leaked from one teacher's page opens nothing else.
 */
export interface DirectLineClaims {
  /** The user id, `dl_<random>`: chosen by the server, never by the client. */
  readonly user: string;
  /** The only conversation this token opens. */
  readonly conv: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  /** `stream` for the short-lived token of a WebSocket URL, which must not work on the REST routes. */
  readonly kind: 'conversation' | 'stream';
}

export type TokenProblem = 'missing' | 'malformed' | 'signature' | 'expired';

export type TokenCheck =
  | { readonly ok: true; readonly claims: DirectLineClaims }
  | { readonly ok: false; readonly problem: TokenProblem };

/** What Azure Direct Line gives its tokens; Web Chat refreshes them every 15 minutes. */
export const TOKEN_TTL_SECONDS = 30 * 60;
/** A stream URL is used at once (and a new one is asked for on every reconnection). */
export const STREAM_TOKEN_TTL_SECONDS = 2 * 60;

const ISSUER = 'assistant-electeur/directline-local';
const USER_ID = /^dl_[A-Za-z0-9_-]{8,64}$/;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Clocks of one process agree, but a token minted just before a leap second must not look "from the future". */
const IAT_LEEWAY_SECONDS = 60;

/** A key per purpose, derived from the app's secret key, so that no other signature can pass for ours. */
function deriveKey(signingKey: string, purpose: string): Buffer {
  return createHmac('sha256', signingKey).update(`assistant-electeur/directline/${purpose}`).digest();
}

/**
 * The emulation's Direct Line secret (what `POST /v3/directline/tokens/generate` wants as Bearer). It is
 * derived, never configured: anyone holding SECRET_KEY may compute it, no one else needs to.
 */
export function localDirectLineSecret(signingKey: string): string {
  return deriveKey(signingKey, 'secret').toString('base64url');
}

export function newUserId(): string {
  return `dl_${randomBytes(12).toString('base64url')}`;
}

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

export function isConversationId(value: unknown): value is string {
  return typeof value === 'string' && CONVERSATION_ID.test(value);
}

/** Constant-time comparison of two strings of any length. */
export function sameSecret(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}

export interface TokenService {
  readonly secret: string;
  issue(
    claims: Pick<DirectLineClaims, 'user' | 'conv'>,
    options?: { kind?: DirectLineClaims['kind']; ttlSeconds?: number; nowMs?: number },
  ): { token: string; expiresIn: number };
  verify(token: string | undefined, nowMs?: number): TokenCheck;
}

export function createTokenService(signingKey: string): TokenService {
  const key = deriveKey(signingKey, 'token-key');
  const header = b64json({ alg: 'HS256', typ: 'JWT' });
  const sign = (data: string) => createHmac('sha256', key).update(data).digest();

  return {
    secret: localDirectLineSecret(signingKey),

    issue({ user, conv }, options = {}) {
      const kind = options.kind ?? 'conversation';
      const ttl = options.ttlSeconds ?? (kind === 'stream' ? STREAM_TOKEN_TTL_SECONDS : TOKEN_TTL_SECONDS);
      const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
      const payload = b64json({ iss: ISSUER, user, conv, kind, iat, exp: iat + ttl });
      const data = `${header}.${payload}`;
      return { token: `${data}.${sign(data).toString('base64url')}`, expiresIn: ttl };
    },

    verify(token, nowMs = Date.now()) {
      if (!token) return { ok: false, problem: 'missing' };
      const parts = token.split('.');
      if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
        return { ok: false, problem: 'malformed' };
      const [head, body, signature] = parts as [string, string, string];
      // The signature first: nothing of an unsigned token is even parsed further.
      const expected = sign(`${head}.${body}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, problem: 'signature' };
      const parsedHeader = parseJson(head);
      const claims = parseJson(body);
      // Only our own header: an `alg: none` or another algorithm is refused even with a valid MAC.
      if (parsedHeader?.alg !== 'HS256' || !claims) return { ok: false, problem: 'malformed' };
      const { user, conv, kind, iat, exp, iss } = claims;
      if (
        iss !== ISSUER ||
        !isUserId(user) ||
        !isConversationId(conv) ||
        (kind !== 'conversation' && kind !== 'stream') ||
        typeof iat !== 'number' ||
        typeof exp !== 'number'
      )
        return { ok: false, problem: 'malformed' };
      const now = nowMs / 1000;
      if (iat > now + IAT_LEEWAY_SECONDS) return { ok: false, problem: 'malformed' };
      if (exp <= now) return { ok: false, problem: 'expired' };
      return { ok: true, claims: { user, conv, kind, iat, exp } };
    },
  };
}

/** The Bearer credential of a request, if any. */
export function bearerOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
