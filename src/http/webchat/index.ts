import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Request, Response } from 'restify';
import type { Config } from '../../config';
import type { Academies } from '../../domain/academies/directory';
import { t } from '../../i18n';
import type { Logger } from '../../log';
import type { Mount } from '../server';
import { type Asset, assetFrom, readAsset, serveAsset, versioned } from './assets';
import { directLineSources, pagePolicy, renderChatPage } from './page';

export interface WebChatOptions {
  readonly academieName: string;
  /**
   * The académie profiles in force: `/?academie=<id>` opens the chat for one académie (its name on the
   * page, its id sent with every message). An unknown id is ignored.
   */
  readonly academies?: Pick<Academies, 'byId'>;
  readonly logger: Logger;
  /**
   * Where Web Chat connects and who may frame the page. Without it: Direct Line on this origin only (the
   * local emulation) and no other site may frame the page, so the widget works on this origin only.
   */
  readonly webChat?: Pick<Config['webChat'], 'localDirectLine' | 'directLineDomain' | 'allowedOrigins'>;
}

/** The route the page asks for `{ token, domain }`, the same in development and production. */
export const TOKEN_URL = '/api/directline/token';

const STATIC_DIR = path.join(__dirname, 'static');
/** French texts and times, the password card, masking a password on screen; then the page itself. */
const PAGE_SCRIPTS = ['chat-french.js', 'chat-cards.js', 'chat-password.js', 'chat.js'] as const;
const JS = 'text/javascript; charset=utf-8';

/** Web Chat's prebuilt bundle from the npm package (the exports map hides dist/, so we go from lib/). */
function webChatBundlePath(file: string): string {
  const main = require.resolve('botframework-webchat');
  return path.join(path.dirname(main), '..', 'dist', file);
}

/**
 * widget.js with its French texts filled in. JSON is valid JavaScript; `<` is escaped so that no text
 * could ever close a script element.
 */
function widgetScript(): Buffer {
  const template = readAsset(path.join(STATIC_DIR, 'widget.js'), JS).body.toString('utf8');
  const text = JSON.stringify({
    open: t('webchat.widget.open'),
    dialogLabel: t('webchat.widget.dialogLabel'),
    close: t('webchat.widget.close'),
    closeLabel: t('webchat.widget.closeLabel'),
    frameTitle: t('webchat.widget.frameTitle'),
    unavailable: t('webchat.widget.unavailable'),
    openInTab: t('webchat.widget.openInTab'),
    notAllowed: t('webchat.widget.notAllowed'),
  }).replace(/</g, '\\u003c');
  const marker = /\/\*TEXT\*\/\s*\{\}/;
  if (!marker.test(template)) throw new Error('widget.js : marqueur des textes introuvable');
  return Buffer.from(
    template.replace(marker, () => text),
    'utf8',
  );
}

/** GET / (the French page with Web Chat), the Web Chat bundle, the page's script and style, and /widget.js. */
export function webChatMount(options: WebChatOptions): Mount {
  const assets = {
    webChat: readAsset(webChatBundlePath('webchat.js'), JS),
    webChatLicense: readAsset(webChatBundlePath('webchat.js.LICENSE.txt'), 'text/plain; charset=utf-8'),
    // The page's parts, then the page script that uses them (chat.js), in this order.
    scripts: PAGE_SCRIPTS.map((name) => ({ name, asset: readAsset(path.join(STATIC_DIR, name), JS) })),
    css: readAsset(path.join(STATIC_DIR, 'chat.css'), 'text/css; charset=utf-8'),
    // Linked from the page, so browsers do not ask for /favicon.ico.
    icon: readAsset(path.join(STATIC_DIR, 'favicon.svg'), 'image/svg+xml'),
    // Académie sites load it by a fixed URL: one hour of cache, so a new release reaches them the same day.
    widget: assetFrom(widgetScript(), JS, { crossOrigin: true }),
  };
  const urls = {
    css: versioned('/webchat/chat.css', assets.css),
    icon: versioned('/webchat/favicon.svg', assets.icon),
    webChat: versioned('/webchat/webchat.js', assets.webChat),
    scripts: assets.scripts.map(({ name, asset }) => versioned(`/webchat/${name}`, asset)),
  };
  const webChat = options.webChat;
  // Production talks to Azure's Direct Line; the emulation is this server itself ('self').
  const connectSources =
    webChat && !webChat.localDirectLine ? directLineSources(webChat.directLineDomain) : [];
  const frameAncestors = webChat?.allowedOrigins ?? [];

  const page = async (req: Request, res: Response) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const styleNonce = randomBytes(16).toString('base64');
    const academie = typeof query.academie === 'string' ? options.academies?.byId(query.academie) : undefined;
    const html = renderChatPage({
      academieName: academie?.name ?? options.academieName,
      ...(academie ? { academie: academie.id } : {}),
      embed: query.embed === '1',
      styleNonce,
      urls,
      tokenUrl: TOKEN_URL,
    });
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': pagePolicy({ styleNonce, connectSources, frameAncestors }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // frame-ancestors decides who may frame the page; X-Frame-Options cannot list other sites.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      // The nonce changes on every response: a cached copy would carry a stale one.
      'Cache-Control': 'no-store',
    });
    res.end(html);
  };

  const serve = (asset: Asset) => async (req: Request, res: Response) => serveAsset(req, res, asset);

  return (server) => {
    server.get('/', page);
    server.get('/webchat/webchat.js', serve(assets.webChat));
    server.get('/webchat/webchat.js.LICENSE.txt', serve(assets.webChatLicense));
    for (const { name, asset } of assets.scripts) server.get(`/webchat/${name}`, serve(asset));
    server.get('/webchat/chat.css', serve(assets.css));
    server.get('/webchat/favicon.svg', serve(assets.icon));
    // Browsers ask for it on every page without an icon link (the confirmation pages): the same icon.
    server.get('/favicon.ico', serve(assets.icon));
    server.get('/widget.js', serve(assets.widget));
    options.logger.debug(
      { localDirectLine: webChat?.localDirectLine, frameAncestors },
      'page Web Chat montée sur /',
    );
  };
}
