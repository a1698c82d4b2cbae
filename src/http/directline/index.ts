import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { Mount } from '../server';

export interface DirectLineOptions {
  readonly webChat: Config['webChat'];
  /** HS256 key of the local emulation's tokens. */
  readonly signingKey: string;
  /** The bot's own base URL once it listens (http://127.0.0.1:<port>), for delivering to /api/messages. */
  readonly localBaseUrl: () => string;
  readonly logger: Logger;
}

/**
 * The token route the page calls (`POST /api/directline/token`) and, when LOCAL_DIRECTLINE is set, the
 * offline Direct Line 3.0 emulation. Placeholder until the implementation lands.
 */
export function directLineMount(_options: DirectLineOptions): Mount {
  return () => undefined;
}
