import fs from 'node:fs';
import path from 'node:path';
import restify, { type Server } from 'restify';
import { AppError } from '../errors';
import { t, tList } from '../i18n';
import type { Logger } from '../log';
import { renderPage } from './html';
import type { RequestTracker } from './lifecycle';
import { errorResponse } from './respond';
import { baselineSecurityHeaders, setSecurityHeaders } from './security-headers';

export type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface Routes {
  readonly messages: Handler;
  /** Resolves true when the bot can serve (Redis reachable). */
  readonly healthy: () => Promise<boolean>;
  /** Counts requests in flight for graceful shutdown; while draining, /healthz answers 503. */
  readonly tracker?: RequestTracker;
  /** Sent on every response when the public URL is https (the browser then refuses plain http). */
  readonly hsts?: boolean;
}

const PAGE_CSS = fs.readFileSync(path.join(__dirname, 'static', 'page.css'));

/** Registers more routes (Web Chat page, Direct Line emulation…) on the server. */
export type Mount = (server: Server) => void;

/** The HTTP surface. Handlers come ready-made from the composition root. */
export function createHttpServer(routes: Routes, logger: Logger, mounts: readonly Mount[] = []): Server {
  const server = restify.createServer({ name: 'assistant-electeur', handleUncaughtExceptions: false });
  if (routes.tracker) server.pre(routes.tracker.pre);
  // Every response, JSON and errors included, starts from safe headers; pages refine the policy.
  server.pre(baselineSecurityHeaders({ hsts: routes.hsts === true }));
  server.pre(restify.plugins.pre.dedupeSlashes());
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.post('/api/messages', routes.messages);

  server.get('/healthz', async (_req, res) => {
    const draining = routes.tracker?.draining === true;
    const ok = !draining && (await routes.healthy().catch(() => false));
    const status = draining ? 'draining' : ok ? 'ok' : 'unavailable';
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ status }));
  });

  server.get('/static/page.css', async (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(PAGE_CSS);
  });

  for (const mount of mounts) mount(server);

  // sendRaw, not writeHead/end: restify must see the response as sent, or it sends the error again
  // after the callback and throws (« headers already sent »), which would end the process.
  server.on('NotFound', (_req, res, _err, callback) => {
    setSecurityHeaders(res);
    const html = renderPage(
      {
        title: t('pages.notFound.title'),
        paragraphs: tList('pages.notFound.paragraphs'),
        // No dead end: the way to the assistant.
        link: { href: '/', text: t('pages.notFound.next') },
        tone: 'problem',
      },
      t('pages.siteName'),
    );
    res.sendRaw(404, html, { 'Content-Type': 'text/html; charset=utf-8' });
    callback();
  });

  // A handler that throws must not take the process down nor leak the error to the client.
  server.on('restifyError', (req, res, err, callback) => {
    if ((err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode < 500)
      return callback();
    logger.error(
      { err: { name: err.name, message: err.message }, route: req.getRoute()?.path },
      'request failed',
    );
    if (!res.headersSent) {
      const answer = errorResponse(new AppError('INTERNAL'));
      res.sendRaw(answer.status, JSON.stringify({ error: { code: answer.code, message: answer.message } }), {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
    }
    return callback();
  });

  return server;
}
