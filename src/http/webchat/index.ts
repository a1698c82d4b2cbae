import type { Logger } from '../../log';
import type { Mount } from '../server';

export interface WebChatOptions {
  readonly academieName: string;
  readonly logger: Logger;
}

/** GET / (the French page with Web Chat), the Web Chat bundle and /widget.js. Placeholder until it lands. */
export function webChatMount(_options: WebChatOptions): Mount {
  return () => undefined;
}
