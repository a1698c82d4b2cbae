import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { localDirectLineSecret } from '../../../src/http/directline';
import { type App, buildApp } from '../../../src/index';
import { createLogger } from '../../../src/log';
import { type BotHarness, startBot } from '../../support/bot-harness';
import { type DlActivity, directLineClient, openStream } from '../../support/directline-client';

interface TokenBody {
  token: string;
  domain: string;
  conversationId?: string;
  userId: string;
  expires_in: number;
}

const ACADEMIE_SITE = 'https://www.ac-paris.fr';

const askToken = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/directline/token`, { method: 'POST', headers });

/** A request with a Host header of our choosing (fetch always writes the URL's own). */
function withHost(
  url: string,
  path: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; allowOrigin: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          allowOrigin: response.headers['access-control-allow-origin'] as string | undefined,
          body,
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/**
 * The real app without Redis (its token route needs none), with its log lines kept, to check that the
 * Direct Line secret never reaches them.
 */
async function startLoggedApp(env: Record<string, string>) {
  const lines: string[] = [];
  const outbox = await mkdtemp(path.join(os.tmpdir(), 'dl-outbox-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    SECRET_KEY: randomBytes(32).toString('hex'),
    MAIL_OUTBOX_DIR: outbox,
    LOG_LEVEL: 'trace',
    ...env,
  });
  const app: App = buildApp(config, createLogger('trace', { write: (line: string) => lines.push(line) }));
  const url = await app.start();
  return {
    url,
    lines,
    routes: () => routesOf(app),
    async close() {
      await app.stop();
      await rm(outbox, { recursive: true, force: true });
    },
  };
}

/**
 * The routes the app registered. Not an HTTP probe: a request to an unknown path currently makes
 * restify throw after server.ts's NotFound page (reported), which would fail these tests for another reason.
 */
function routesOf(app: App): string[] {
  const registered = (
    app.server as unknown as { router: { getRoutes(): Record<string, { method: string; path: string }> } }
  ).router.getRoutes();
  return Object.values(registered).map((r) => `${r.method} ${r.path}`);
}

describe('POST /api/directline/token', function () {
  this.timeout(30_000);

  describe('local mode (LOCAL_DIRECTLINE=1)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ LOCAL_DIRECTLINE: '1', WEBCHAT_ORIGINS: ACADEMIE_SITE });
    });
    after(async () => bot.close());

    it('returns a usable token and the emulation’s domain, never cached', async () => {
      const response = await askToken(bot.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(String(response.headers.get('content-type')), /application\/json/);
      const body = (await response.json()) as TokenBody;
      assert.equal(body.domain, `${bot.url}/v3/directline`);
      assert.match(body.userId, /^dl_/);
      assert.equal(claimsOf(body.token).user, body.userId);
      assert.equal(claimsOf(body.token).conv, body.conversationId);
      assert.ok(body.expires_in > 60);

      const dl = directLineClient(body.domain);
      const started = await dl.start(body.token);
      assert.equal(started.status, 201);
      const stream = await openStream(started.body.streamUrl);
      await stream.waitFor((a: DlActivity) => a.type === 'message' && a.from?.role === 'bot');
      await stream.close();
    });

    it('chooses the user id itself: nothing the client sends changes it', async () => {
      const response = await fetch(`${bot.url}/api/directline/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: 'dl_chosenbytheclient' }, userId: 'dl_chosenbytheclient' }),
      });
      const body = (await response.json()) as TokenBody;
      assert.notEqual(body.userId, 'dl_chosenbytheclient');
      assert.notEqual(claimsOf(body.token).user, 'dl_chosenbytheclient');
    });

    it('CORS: answers the configured site’s preflight with its origin (never *), refuses another site', async () => {
      const allowed = await fetch(`${bot.url}/api/directline/token`, {
        method: 'OPTIONS',
        headers: { Origin: ACADEMIE_SITE, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(allowed.status, 204);
      assert.equal(allowed.headers.get('access-control-allow-origin'), ACADEMIE_SITE);
      assert.match(String(allowed.headers.get('access-control-allow-methods')), /POST/);
      assert.match(String(allowed.headers.get('vary')), /Origin/);

      const post = await askToken(bot.url, { Origin: ACADEMIE_SITE });
      assert.equal(post.status, 200);
      assert.equal(post.headers.get('access-control-allow-origin'), ACADEMIE_SITE);

      const refusedPreflight = await fetch(`${bot.url}/api/directline/token`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(refusedPreflight.status, 403);
      assert.equal(refusedPreflight.headers.get('access-control-allow-origin'), null);

      const refused = await askToken(bot.url, { Origin: 'https://evil.example' });
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      const error = ((await refused.json()) as { error: { message: string } }).error;
      assert.match(error.message, /n’est pas autorisé/);

      // The page served by the bot itself is same-origin: allowed without configuration.
      const own = await askToken(bot.url, { Origin: bot.url });
      assert.equal(own.status, 200);
    });

    it('never takes the Host header for our origin: a page rebound to this server is refused', async () => {
      const port = new URL(bot.url).port;
      // What a browser sends from a page whose name was rebound to 127.0.0.1 (DNS rebinding).
      const rebound = { Host: `rebound.example:${port}`, Origin: `http://rebound.example:${port}` };
      const token = await withHost(bot.url, '/api/directline/token', 'POST', rebound);
      assert.equal(token.status, 403);
      assert.equal(token.allowOrigin, undefined);
      const preflight = await withHost(bot.url, '/v3/directline/conversations', 'OPTIONS', {
        ...rebound,
        'Access-Control-Request-Method': 'POST',
      });
      assert.equal(preflight.status, 403);
      const { token: valid } = (await (await askToken(bot.url)).json()) as TokenBody;
      const start = await withHost(bot.url, '/v3/directline/conversations', 'POST', {
        ...rebound,
        Authorization: `Bearer ${valid}`,
      });
      assert.equal(start.status, 403);

      // The loopback names of the port are ours, and the URLs handed back follow the one the page used.
      const local = await withHost(bot.url, '/api/directline/token', 'POST', {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
      });
      assert.equal(local.status, 200);
      assert.equal((JSON.parse(local.body) as TokenBody).domain, `http://localhost:${port}/v3/directline`);
      // Without Origin (not a browser) the token is given, but a forged Host does not name the URLs.
      const tool = await withHost(bot.url, '/api/directline/token', 'POST', {
        Host: `rebound.example:${port}`,
      });
      assert.equal(tool.status, 200);
      assert.equal((JSON.parse(tool.body) as TokenBody).domain, `${bot.url}/v3/directline`);
    });

    it('CORS on the emulation’s routes too (the widget on a configured site)', async () => {
      const preflight = await fetch(`${bot.url}/v3/directline/conversations`, {
        method: 'OPTIONS',
        headers: {
          Origin: ACADEMIE_SITE,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,x-ms-bot-agent',
        },
      });
      assert.equal(preflight.status, 204);
      assert.match(String(preflight.headers.get('access-control-allow-headers')), /x-ms-bot-agent/i);
      const { token } = (await (await askToken(bot.url)).json()) as TokenBody;
      const refused = await fetch(`${bot.url}/v3/directline/conversations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, Origin: 'https://evil.example' },
      });
      assert.equal(refused.status, 403);
    });
  });

  describe('local mode behind PUBLIC_BASE_URL (a tunnel to a developer’s machine)', () => {
    const PUBLIC = 'https://assistant.ac-paris.fr';
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ LOCAL_DIRECTLINE: '1', PUBLIC_BASE_URL: PUBLIC });
    });
    after(async () => bot.close());

    it('takes PUBLIC_BASE_URL as its own origin, and hands back URLs under it', async () => {
      const response = await withHost(bot.url, '/api/directline/token', 'POST', {
        Host: 'assistant.ac-paris.fr',
        Origin: PUBLIC,
      });
      assert.equal(response.status, 200);
      assert.equal(response.allowOrigin, PUBLIC);
      assert.equal((JSON.parse(response.body) as TokenBody).domain, `${PUBLIC}/v3/directline`);
      const other = await withHost(bot.url, '/api/directline/token', 'POST', {
        Host: 'assistant.ac-paris.fr.evil.example',
        Origin: 'https://assistant.ac-paris.fr.evil.example',
      });
      assert.equal(other.status, 403);
    });
  });

  describe('rate limit', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ LOCAL_DIRECTLINE: '1' });
    });
    after(async () => bot.close());

    it('answers 429 in French, with Retry-After, once a client has asked too often', async () => {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 30; i++) {
        const response = await askToken(bot.url);
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
        else await response.arrayBuffer();
      }
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
      assert.ok(limited, statuses.join(','));
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(limited.headers.get('cache-control'), 'no-store');
      const { error } = (await limited.json()) as { error: { code: string; message: string } };
      assert.match(error.message, /^Trop de demandes/);
    });
  });

  describe('production mode (DIRECTLINE_SECRET), against the emulation standing in for Azure', () => {
    let azure: BotHarness;
    let secret: string;
    let app: Awaited<ReturnType<typeof startLoggedApp>>;

    before(async () => {
      azure = await startBot({ LOCAL_DIRECTLINE: '1' });
      secret = localDirectLineSecret(azure.app.config.secretKey as string);
      app = await startLoggedApp({
        DIRECTLINE_SECRET: secret,
        DIRECTLINE_DOMAIN: `${azure.url}/v3/directline`,
        WEBCHAT_ORIGINS: ACADEMIE_SITE,
      });
    });
    after(async () => {
      await app?.close();
      await azure?.close();
    });

    it('exchanges the secret for a token with a server-chosen dl_ user; the secret never leaves', async () => {
      const response = await askToken(app.url, { Origin: ACADEMIE_SITE });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('access-control-allow-origin'), ACADEMIE_SITE);
      const text = await response.text();
      assert.ok(!text.includes(secret), 'the secret is not in the answer');
      for (const [, value] of response.headers) assert.ok(!value.includes(secret));
      const body = JSON.parse(text) as TokenBody;
      assert.equal(body.domain, `${azure.url}/v3/directline`);
      assert.match(body.userId, /^dl_/);
      assert.equal(claimsOf(body.token).user, body.userId, 'the user id we chose is the one in the token');
      assert.ok(body.conversationId);
      assert.ok(body.expires_in > 0);

      // The token works on "Azure": the conversation starts and the bot welcomes.
      const dl = directLineClient(body.domain);
      const started = await dl.start(body.token);
      assert.equal(started.status, 201);
      const stream = await openStream(started.body.streamUrl);
      await stream.waitFor((a) => a.type === 'message' && a.from?.role === 'bot');
      const posted = await dl.post(body.token, started.body.conversationId, { text: 'aide' });
      assert.equal(posted.status, 200);
      const echo = await stream.waitFor((a) => a.id === posted.body.id);
      assert.equal(echo.from?.id, body.userId);
      await stream.close();

      assert.ok(app.lines.length > 0, 'the app logs');
      assert.ok(!app.lines.some((line) => line.includes(secret)), 'the secret is not in the logs');
    });

    it('does not mount the emulation: only the token route', async () => {
      const routes = app.routes();
      assert.ok(routes.includes('POST /api/directline/token'), routes.join(', '));
      assert.ok(!routes.some((r) => r.includes('/v3/')), routes.join(', '));
    });

    it('answers 502 in French when Direct Line refuses (wrong secret) or cannot be reached', async () => {
      const wrong = await startLoggedApp({
        DIRECTLINE_SECRET: 'not-the-secret',
        DIRECTLINE_DOMAIN: `${azure.url}/v3/directline`,
      });
      try {
        const response = await askToken(wrong.url);
        assert.equal(response.status, 502);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        const { error } = (await response.json()) as { error: { message: string } };
        assert.match(error.message, /indisponible/);
        assert.ok(!wrong.lines.some((line) => line.includes('not-the-secret')));
      } finally {
        await wrong.close();
      }

      const unreachable = await startLoggedApp({
        DIRECTLINE_SECRET: 'some-secret',
        DIRECTLINE_DOMAIN: 'http://127.0.0.1:9/v3/directline',
      });
      try {
        assert.equal((await askToken(unreachable.url)).status, 502);
      } finally {
        await unreachable.close();
      }
    });
  });

  describe('without Direct Line configured', () => {
    it('mounts nothing', async () => {
      const app = await startLoggedApp({});
      try {
        const routes = app.routes();
        assert.ok(routes.includes('POST /api/messages'), routes.join(', '));
        assert.ok(!routes.some((r) => r.includes('directline') || r.includes('/v3/')), routes.join(', '));
      } finally {
        await app.close();
      }
    });
  });
});
