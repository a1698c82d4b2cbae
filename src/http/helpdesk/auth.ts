import type { IncomingMessage } from 'node:http';
import type { PasswordHasher } from '../../domain/accounts/ports';
import { clientAddress } from '../directline/request';
import { createFailureLimiter } from './limits';
import type { HelpdeskUser } from './users';

export interface AuthLimits {
  /** Failed attempts allowed per client address, then per login, within `windowMs`. */
  readonly failuresPerAddress: number;
  readonly failuresPerLogin: number;
  readonly windowMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  failuresPerAddress: 10,
  failuresPerLogin: 5,
  windowMs: 15 * 60_000,
};

export type AuthResult =
  | { readonly kind: 'ok'; readonly login: string }
  | { readonly kind: 'refused' }
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number };

/** Beyond these sizes the header is hostile: argon2 over a megabyte of password would be a cheap DoS. */
const MAX_HEADER_LENGTH = 2048;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * HTTP Basic against HELPDESK_USERS. An unknown login still costs one argon2 verification (against a
 * configured hash, so with the same parameters): timing does not tell which logins exist.
 */
export function createBasicAuth(options: {
  users: readonly HelpdeskUser[];
  hasher: Pick<PasswordHasher, 'verify'>;
  limits: AuthLimits;
  trustProxy: boolean;
  now: () => number;
}): (req: IncomingMessage) => Promise<AuthResult> {
  const byLogin = new Map(options.users.map((u) => [u.login, u.phc]));
  const decoy = options.users[0]?.phc ?? '';
  const perAddress = createFailureLimiter(options.limits.failuresPerAddress, options.limits.windowMs);
  const perLogin = createFailureLimiter(options.limits.failuresPerLogin, options.limits.windowMs);

  return async (req) => {
    const now = options.now();
    const address = clientAddress(req, options.trustProxy);
    const credentials = parseBasic(req.headers.authorization);
    // Checked before any argon2 work, so a blocked client costs us nothing.
    const wait = Math.max(
      perAddress.blockedFor(address, now),
      credentials ? perLogin.blockedFor(credentials.login, now) : 0,
    );
    if (wait > 0) return { kind: 'limited', retryAfterSeconds: wait };
    // No header at all is the browser's first request before it shows the login box: not a failure.
    if (req.headers.authorization === undefined) return { kind: 'refused' };

    const phc = credentials ? byLogin.get(credentials.login) : undefined;
    const valid = await options.hasher.verify(phc ?? decoy, credentials?.password ?? '');
    if (credentials && phc !== undefined && valid) {
      perLogin.clear(credentials.login);
      return { kind: 'ok', login: credentials.login };
    }
    perAddress.fail(address, now);
    if (credentials) perLogin.fail(credentials.login, now);
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
