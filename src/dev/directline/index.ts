import type { Config } from '../../config';
import { ownOrigins } from '../../http/directline/origins';
import type { TokenService } from '../../http/directline/tokens';
import type { Mount } from '../../http/server';
import { t } from '../../i18n';
import type { Logger } from '../../log';
import { type EmulationDeps, mountEmulation } from './emulation';
import { ConversationStore, DEFAULT_LIMITS, type StoreLimits } from './store';
import { attachStream } from './stream';

export { CHANNEL_ID } from './emulation';

/** The bot's id on the local channel (Azure names it after the bot's handle). */
export const LOCAL_BOT_ID = 'assistant-electeur';

export interface LocalDirectLineOptions {
  readonly webChat: Config['webChat'];
  /** The emulation's token service, shared with the token route (src/http/directline). */
  readonly tokens: TokenService;
  /** One turn in this process (the adapter behind /api/messages), replies returned: `expectReplies`. */
  readonly runTurn: EmulationDeps['runTurn'];
  /** The bot's own base URL once it listens: its serviceUrl for the messages it sends outside a turn. */
  readonly localBaseUrl: () => string;
  readonly publicBaseUrl?: string;
  readonly logger: Logger;
  /** Bounds of the emulation's memory (conversations, activities, idle time). */
  readonly limits?: Partial<StoreLimits>;
}

/**
 * An offline Direct Line 3.0 (REST and WebSocket stream) for the demo, the tests and a developer's Web
 * Chat: never in production (config.ts refuses LOCAL_DIRECTLINE there). Activities go to the adapter in
 * this process; nothing here is a model of how Azure's Direct Line is run.
 */
export function localDirectLineMount(options: LocalDirectLineOptions): Mount {
  const { webChat, tokens, logger } = options;
  return (server) => {
    const own = () => ownOrigins(options.localBaseUrl(), options.publicBaseUrl);
    const store = new ConversationStore({ ...DEFAULT_LIMITS, ...options.limits });
    mountEmulation(server, {
      store,
      tokens,
      runTurn: options.runTurn,
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
