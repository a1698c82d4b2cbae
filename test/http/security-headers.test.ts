import assert from 'node:assert/strict';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { type BotHarness, startBot } from '../support/bot-harness';

interface RouteSpec {
  spec: { method: string; path: string };
}

/**
 * Every route the app registers, plus the 404, answers with the safe headers: a route added later without
 * them fails here, since the list comes from the router itself.
 */
describe('security headers on every response', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    const phc = await createArgon2Hasher().hash('Helpdesk-2014!');
    bot = await startBot({
      HELPDESK_USERS: `agent:${phc}`,
      LOCAL_DIRECTLINE: '1',
      PUBLIC_BASE_URL: 'https://electeur.example.fr',
    });
  });
  after(async () => bot.close());

  function routes(): Array<{ method: string; path: string }> {
    const server = bot.app.server as unknown as { router: { getRoutes(): Record<string, RouteSpec> } };
    return Object.values(server.router.getRoutes()).map(({ spec }) => ({
      method: spec.method,
      // Parameters get a harmless value: the headers matter here, not the answer.
      path: spec.path.replace(/:[A-Za-z]+/g, 'x'),
    }));
  }

  it('covers the routes the app registers', () => {
    const paths = routes().map((route) => `${route.method} ${route.path}`);
    for (const expected of ['POST /api/messages', 'GET /healthz', 'GET /confirmation', 'GET /'])
      assert.ok(paths.includes(expected), `${expected} missing from ${paths.join(', ')}`);
    assert.ok(paths.length >= 10, paths.join(', '));
  });

  it('sends nosniff, a referrer policy, a framing policy and HSTS on every route and on 404', async () => {
    const targets = [...routes(), { method: 'GET', path: '/nulle-part' }];
    for (const { method, path } of targets) {
      const response = await fetch(`${bot.url}${path}`, {
        method,
        redirect: 'manual',
        ...(method === 'POST' || method === 'PUT'
          ? { headers: { 'Content-Type': 'application/json' }, body: '{}' }
          : {}),
      });
      await response.arrayBuffer();
      const where = `${method} ${path} (${response.status})`;
      assert.ok(response.status < 500, `${where} failed`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', where);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', where);
      assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/, where);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors/, `${where}: ${csp}`);
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
        assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, `${where}: ${csp}`);
        assert.match(csp, /default-src 'none'|default-src 'self'/, `${where}: ${csp}`);
      }
    }
  });

  it('does not send HSTS when the public address is plain http', async () => {
    const plain = await startBot();
    try {
      const response = await fetch(`${plain.url}/healthz`);
      assert.equal(response.headers.get('strict-transport-security'), null);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    } finally {
      await plain.close();
    }
  });
});
