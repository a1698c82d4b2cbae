import type { Config } from '../../config';
import type { ClientDirectory } from '../../domain/limits/clients';
import type { RateLimiter } from '../../domain/limits/rate-limiter';
import { t } from '../../i18n';
import type { Logger } from '../../log';
import type { Mount } from '../server';
import { mountEmulation } from './emulation';
import { ownOrigins } from './origins';
import { ConversationStore, DEFAULT_LIMITS, type StoreLimits } from './store';
import { attachStream } from './stream';
import { mountTokenRoute } from './token-route';
import { createTokenService } from './tokens';

export { CHANNEL_ID, DIRECTLINE_PREFIX } from './emulation';
export { TOKEN_ROUTE, type TokenResponse } from './token-route';
export {
  createTokenService,
  type DirectLineClaims,
  localDirectLineSecret,
  type TokenService,
} from './tokens';

export interface DirectLineOptions {
  readonly webChat: Config['webChat'];
  /** HS256 key of the local emulation's tokens. */
  readonly signingKey: string;
  /** The bot's own base URL once it listens (http://127.0.0.1:<port>), for delivering to /api/messages. */
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
  /** Bounds of the emulation's memory (conversations, activities, idle time). */
  readonly limits?: Partial<StoreLimits>;
}

/** The bot's id on the local channel (Azure names it after the bot's handle). */
export const LOCAL_BOT_ID = 'assistant-electeur';

/**
 * The token route the page calls (`POST /api/directline/token`), mounted when Direct Line is usable
 * (local emulation or a configured secret), and, when LOCAL_DIRECTLINE is set (never in production:
 * config.ts refuses it), the offline Direct Line 3.0 emulation with its WebSocket stream.
 */
export function directLineMount(options: DirectLineOptions): Mount {
  const { webChat, logger } = options;
  return (server) => {
    if (!webChat.localDirectLine && !webChat.directLineSecret) return;

    const { limiter, now } = options;
    const clients = options.clients ? { clients: options.clients } : {};
    const own = () => ownOrigins(options.localBaseUrl(), options.publicBaseUrl);
    if (!webChat.localDirectLine) {
      mountTokenRoute(server, {
        webChat,
        ownOrigins: own,
        localTokens: undefined,
        localBaseUrl: options.localBaseUrl,
        limiter,
        ...clients,
        now,
        trustProxy: options.trustProxy ?? false,
        logger,
      });
      return;
    }

    const tokens = createTokenService(options.signingKey);
    const store = new ConversationStore({ ...DEFAULT_LIMITS, ...options.limits });
    mountTokenRoute(server, {
      webChat,
      ownOrigins: own,
      localTokens: tokens,
      localBaseUrl: options.localBaseUrl,
      limiter,
      ...clients,
      now,
      trustProxy: options.trustProxy ?? false,
      logger,
    });
    mountEmulation(server, {
      store,
      tokens,
      localBaseUrl: options.localBaseUrl,
      allowedOrigins: () => [...webChat.allowedOrigins, ...own()],
      ownOrigins: own,
      bot: { id: LOCAL_BOT_ID, name: t('directline.botName') },
      logger,
    });
    const stream = attachStream(server.server, { store, tokens, logger });
    const sweeper = setInterval(() => store.sweep(), 60_000);
    sweeper.unref();

    // The composition root stops the app with server.close(); open WebSockets would hold it for ever.
    const close = server.close.bind(server);
    server.close = ((callback?: () => unknown) => {
      clearInterval(sweeper);
      stream.close();
      store.clear();
      return close(callback);
    }) as typeof server.close;

    logger.warn(
      'LOCAL_DIRECTLINE : Direct Line local (hors ligne) actif, pour le développement et les tests',
    );
  };
}
