import type { IncomingMessage } from 'node:http';
import type { PasswordHasher } from '../../domain/accounts/ports';
import type { AuditLog } from '../../domain/audit/ports';
import type { HelpdeskUser } from '../../domain/helpdesk/users';
import type { RateLimiter, RateVerdict } from '../../domain/limits/rate-limiter';
import { RULES } from '../../domain/limits/rules';
import { clientAddress } from '../client-address';
import { clientNetwork } from '../client-network';

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
 * Attempts are counted per client address (an IPv6 client by its /64, see clientNetwork) and per
 * (login, address), in the shared limiter, never per login alone: a per-login lockout would let anyone
 * who knows an agent's login lock that agent out from anywhere. Here a stranger only blocks their own
 * address. There is no global per-login slow-down either, for the same reason; guesses spread over many
 * addresses meet each one's budget, argon2, and the agents' strong passwords.
 *
 * Every failed attempt, and every attempt the budget refused, is counted in the audit per address and
 * hour (never the login tried nor the password). Redis down: refused (the console cannot audit without
 * it anyway), the caller answers 503.
 */
export function createBasicAuth(options: {
  users: readonly HelpdeskUser[];
  hasher: Pick<PasswordHasher, 'verify'>;
  limiter: RateLimiter;
  failures: Pick<AuditLog, 'countFailedLogin'>;
  trustProxy: boolean;
  now: () => number;
}): (req: IncomingMessage) => Promise<AuthResult> {
  const { limiter, failures } = options;
  const byLogin = new Map(options.users.map((u) => [u.login, u.phc]));
  const decoy = options.users[0]?.phc ?? '';

  return async (req) => {
    const now = options.now();
    const ip = clientNetwork(clientAddress(req, options.trustProxy));
    const credentials = parseBasic(req.headers.authorization);
    const pair = credentials ? `${credentials.login}\u0000${ip}` : undefined;
    const rules = [
      { rule: RULES.helpdeskFailuresPerIp, subject: ip },
      ...(pair ? [{ rule: RULES.helpdeskFailuresPerLoginIp, subject: pair }] : []),
    ];
    const limited = (verdicts: readonly RateVerdict[]): AuthResult | undefined => {
      const wait = Math.max(0, ...verdicts.map((v) => (v.allowed ? 0 : v.retryAfterMs)));
      return wait > 0 ? { kind: 'limited', retryAfterMs: wait } : undefined;
    };
    // No header at all is the browser's first request before it shows the login box: not an attempt.
    if (req.headers.authorization === undefined) {
      const verdicts = await Promise.all(rules.map(({ rule, subject }) => limiter.peek(rule, subject, now)));
      return limited(verdicts) ?? { kind: 'refused' };
    }
    // Every attempt is paid for before argon2, and refunded on success: counting failures after the
    // verification would let a burst of parallel guesses all pass the check before any was counted.
    const verdicts = await Promise.all(rules.map(({ rule, subject }) => limiter.consume(rule, subject, now)));
    const refusal = limited(verdicts);
    if (refusal) {
      await failures.countFailedLogin(ip, 'blocked', now);
      return refusal;
    }

    const phc = credentials ? byLogin.get(credentials.login) : undefined;
    const valid = await options.hasher.verify(phc ?? decoy, credentials?.password ?? '');
    if (credentials && phc !== undefined && valid) {
      // An agent's own requests (every page carries the credentials) must not use up the budget: this
      // attempt's payment comes back, and only it. Failures counted before (a stranger's, from the same
      // staff-room address) stay counted: a success clearing them would let guesses go on forever, one
      // valid login every few tries.
      await Promise.all(rules.map(({ rule, subject }) => limiter.refund(rule, subject, options.now())));
      return { kind: 'ok', login: credentials.login };
    }
    await failures.countFailedLogin(ip, 'failed', now);
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
