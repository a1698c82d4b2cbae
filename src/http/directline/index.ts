import type { Config } from '../../config';
import type { ClientDirectory } from '../../domain/limits/clients';
import type { RateLimiter } from '../../domain/limits/rate-limiter';
import type { Logger } from '../../log';
import type { Mount } from '../server';
import { ownOrigins } from './origins';
import { mountTokenRoute } from './token-route';
import type { TokenService } from './tokens';

export { DIRECTLINE_PREFIX } from './paths';
export { TOKEN_ROUTE, type TokenResponse } from './token-route';
export {
  createTokenService,
  type DirectLineClaims,
  localDirectLineSecret,
  type TokenService,
} from './tokens';

export interface DirectLineOptions {
  readonly webChat: Config['webChat'];
  /** The bot's own base URL once it listens (http://127.0.0.1:<port>): one of its own origins. */
  readonly localBaseUrl: () => string;
  readonly logger: Logger;
  /** The shared limiter (Redis, or memory in embedded mode): RULES.directLineTokenPerIp on the token route. */
  readonly limiter: RateLimiter;
  /** Which client each `dl_…` user came from, for the account budget per client. */
  readonly clients?: Pick<ClientDirectory, 'remember'>;
  /** The application clock, in ms. */
  readonly now: () => number;
  /**
   * Take the client's IP from the last X-Forwarded-For hop (behind Azure App Service or a reverse proxy).
   * Off by default: without a proxy that header is whatever the client wrote.
   */
  readonly trustProxy?: boolean;
  /** config.publicBaseUrl: one of this server's own origins (the others are loopback at its port). */
  readonly publicBaseUrl?: string;
  /** The local emulation's token service (LOCAL_DIRECTLINE); absent, the configured secret is used. */
  readonly localTokens?: TokenService;
}

/**
 * The token route the page calls (`POST /api/directline/token`), mounted when Direct Line is usable: a
 * configured secret, or the local emulation (src/dev/directline, mounted by the composition root) whose
 * token service is given here as `localTokens`.
 */
export function directLineMount(options: DirectLineOptions): Mount {
  const { webChat, logger, limiter, now } = options;
  return (server) => {
    if (!options.localTokens && !webChat.directLineSecret) return;
    mountTokenRoute(server, {
      webChat,
      ownOrigins: () => ownOrigins(options.localBaseUrl(), options.publicBaseUrl),
      localTokens: options.localTokens,
      localBaseUrl: options.localBaseUrl,
      limiter,
      ...(options.clients ? { clients: options.clients } : {}),
      now,
      trustProxy: options.trustProxy ?? false,
      logger,
    });
  };
}
