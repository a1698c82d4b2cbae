import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'mocha';
import { createHttpServer } from '../../src/http/server';
import { silentLogger } from '../../src/log';

describe('HTTP server: unknown routes and failing handlers', () => {
  let base: string;
  const server = createHttpServer(
    {
      messages: async () => {
        throw new Error('boom in a handler');
      },
      healthy: async () => true,
    },
    silentLogger(),
    [
      (s) =>
        s.get('/throws', async () => {
          throw new Error('boom');
        }),
    ],
  );

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers an unknown URL with a French 404 page, again and again, without stopping', async () => {
    for (const path of ['/favicon.ico', '/nope', '/favicon.ico']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 404);
      const html = await response.text();
      assert.match(html, /<html lang="fr">[\s\S]*Page introuvable/);
      // No dead end: the page leads to the assistant.
      assert.match(html, /<a href="\/">Ouvrir l’Assistant électeur<\/a>/);
      assert.ok(response.headers.get('content-security-policy'));
    }
    assert.equal((await fetch(`${base}/nope`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  it('answers a handler that throws with a French 500, without the error, and keeps serving', async () => {
    for (const request of [fetch(`${base}/throws`), fetch(`${base}/api/messages`, { method: 'POST' })]) {
      const response = await request;
      assert.equal(response.status, 500);
      const body = await response.text();
      assert.match(body, /Une erreur interne est survenue/);
      assert.doesNotMatch(body, /boom/);
    }
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});
