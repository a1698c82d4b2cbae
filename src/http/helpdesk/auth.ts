import type { IncomingMessage } from 'node:http';
import type { PasswordHasher } from '../../domain/accounts/ports';
import type { RateLimiter } from '../../domain/limits/rate-limiter';
import { RULES } from '../../domain/limits/rules';
import { clientAddress } from '../client-address';
import type { HelpdeskUser } from './users';

export type AuthResult =
  | { readonly kind: 'ok'; readonly login: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'limited'; readonly retryAfterMs: number };

/** Beyond these sizes the header is hostile: argon2 over a megabyte of password would be a cheap DoS. */
const MAX_HEADER_LENGTH = 2048;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * HTTP Basic against HELPDESK_USERS. An unknown login still costs one argon2 verification (against a
 * configured hash, so with the same parameters): timing does not tell which logins exist.
 *
 * Failures are counted per client IP and per (login, IP), in the shared limiter, never per login alone:
 * a per-login lockout would let anyone who knows an agent's login lock that agent out from anywhere.
 * Here a stranger only blocks their own IP. There is no global per-login slow-down either, for the same
 * reason; guesses spread over many IPs meet each IP's budget, argon2, and the agents' strong passwords.
 * Redis down: refused (the console cannot audit without it anyway), the caller answers 503.
 */
export function createBasicAuth(options: {
  users: readonly HelpdeskUser[];
  hasher: Pick<PasswordHasher, 'verify'>;
  limiter: RateLimiter;
  trustProxy: boolean;
  now: () => number;
}): (req: IncomingMessage) => Promise<AuthResult> {
  const { limiter } = options;
  const byLogin = new Map(options.users.map((u) => [u.login, u.phc]));
  const decoy = options.users[0]?.phc ?? '';

  return async (req) => {
    const now = options.now();
    const ip = clientAddress(req, options.trustProxy);
    const credentials = parseBasic(req.headers.authorization);
    const pair = credentials ? `${credentials.login}\u0000${ip}` : undefined;
    // Checked before any argon2 work, so a blocked client costs us nothing.
    const verdicts = await Promise.all([
      limiter.peek(RULES.helpdeskFailuresPerIp, ip, now),
      ...(pair ? [limiter.peek(RULES.helpdeskFailuresPerLoginIp, pair, now)] : []),
    ]);
    const wait = Math.max(0, ...verdicts.map((v) => (v.allowed ? 0 : v.retryAfterMs)));
    if (wait > 0) return { kind: 'limited', retryAfterMs: wait };
    // No header at all is the browser's first request before it shows the login box: not a failure.
    if (req.headers.authorization === undefined) return { kind: 'refused' };

    const phc = credentials ? byLogin.get(credentials.login) : undefined;
    const valid = await options.hasher.verify(phc ?? decoy, credentials?.password ?? '');
    if (credentials && pair && phc !== undefined && valid) {
      await limiter.reset(RULES.helpdeskFailuresPerLoginIp, pair);
      return { kind: 'ok', login: credentials.login };
    }
    await Promise.all([
      limiter.consume(RULES.helpdeskFailuresPerIp, ip, now),
      ...(pair ? [limiter.consume(RULES.helpdeskFailuresPerLoginIp, pair, now)] : []),
    ]);
    return { kind: 'refused' };
  };
}

function parseBasic(header: string | undefined): { login: string; password: string } | undefined {
  if (!header || header.length > MAX_HEADER_LENGTH) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const password = decoded.slice(colon + 1);
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return undefined;
  return { login: decoded.slice(0, colon), password: password.normalize('NFC') };
}
