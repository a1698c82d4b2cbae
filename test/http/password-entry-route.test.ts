import assert from 'node:assert/strict';
import { type AddressInfo, connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import {
  PASSWORD_ENTRY_PATH,
  PasswordEntryService,
  type SubmitOutcome,
} from '../../src/domain/accounts/password-entry';
import { RULES } from '../../src/domain/limits/rules';
import { AppError } from '../../src/errors';
import { passwordEntryMount } from '../../src/http/password-entry';
import { createHttpServer } from '../../src/http/server';
import { MemoryPasswordEntryStore } from '../../src/infra/memory-password-entry-store';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import { createLogger, silentLogger } from '../../src/log';
import { CALENDAR, FixedClock, IN_WINDOW, testHasher } from '../support/dialog-harness';

const STRONG = 'Electeur2014';
const conversation = { channelId: 'webchat', conversation: { id: 'conv-1' } };

interface Page {
  status: number;
  headers: Headers;
  html: string;
}

describe('GET and POST /mot-de-passe/<jeton>', () => {
  const clock = new FixedClock(IN_WINDOW);
  const store = new MemoryPasswordEntryStore();
  let base = '';
  const entries = new PasswordEntryService({
    store,
    clock,
    hasher: testHasher,
    calendar: CALENDAR,
    baseUrl: () => base,
  });
  const saved: Array<Extract<SubmitOutcome, { status: 'saved' }>> = [];
  let logs = '';
  const logger = createLogger(
    'trace',
    new Writable({
      write(chunk, _encoding, callback) {
        logs += chunk.toString();
        callback();
      },
    }),
  );
  const server = createHttpServer(
    {
      messages: async (_req, res) => {
        res.sendRaw(200, '');
      },
      healthy: async () => true,
    },
    logger,
    [
      passwordEntryMount({
        entries,
        logger,
        onSaved: async (outcome) => {
          saved.push(outcome);
        },
      }),
    ],
  );
  const secrets: string[] = [STRONG];

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.match(logs, /store unavailable/, 'the logs were captured');
    for (const secret of secrets) assert.ok(!logs.includes(secret), 'a token or a password reached the logs');
  });
  afterEach(() => {
    sinon.restore();
    clock.set(IN_WINDOW);
  });

  async function newLink(): Promise<{ url: string; token: string; id: string }> {
    const link = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    const token = link.url.split('/').at(-1) ?? '';
    secrets.push(token);
    return { url: link.url, token, id: link.id };
  }

  async function get(url: string): Promise<Page> {
    const response = await fetch(url);
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  async function post(
    url: string,
    fields: Record<string, string>,
    type = 'application/x-www-form-urlencoded',
  ) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  function assertSafePage(page: Page, token?: string): void {
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.match(page.html, /<html lang="fr">/);
    assert.equal((page.html.match(/<h1>/g) ?? []).length, 1);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
    assert.doesNotMatch(page.html, /<script|style="/);
    if (token) assert.ok(!page.html.includes(token), 'the token is not repeated in the page');
  }

  /** No dead end (issue 12): a closed or refused page leads on to the chat page. */
  function assertLeadsToChat(page: Page): void {
    assert.match(page.html, /<main class="problem">/, 'looks like a problem, not a success');
    assert.match(page.html, /<a href="\/">Ouvrir l’Assistant électeur<\/a>/);
  }

  it('GET shows the form: two labelled masked fields, new-password, the rules, no script', async () => {
    const { url, token } = await newLink();
    const page = await get(url);
    assert.equal(page.status, 200);
    assertSafePage(page, token);
    assert.match(page.html, /<label for="mot-de-passe">Mot de passe électeur<\/label>/);
    assert.match(page.html, /<label for="confirmation">Confirmez le mot de passe<\/label>/);
    assert.equal((page.html.match(/type="password"/g) ?? []).length, 2);
    assert.equal((page.html.match(/autocomplete="new-password"/g) ?? []).length, 2);
    assert.match(page.html, /au moins 8 caractères \(128 au plus\)/);
    assert.match(page.html, /une majuscule[\s\S]*une minuscule[\s\S]*un chiffre/);
    assert.match(page.html, /<form method="post">/);
    assert.match(page.html, /<button type="submit">Enregistrer mon mot de passe<\/button>/);
  });

  it('serves the form’s stylesheet', async () => {
    const response = await fetch(`${base}/static/mot-de-passe.css`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await response.text(), /input\[type="password"\]/);
  });

  it('POST refuses a weak password, names every unmet rule and echoes nothing back', async () => {
    const { url, token } = await newLink();
    const weak = 'abcdefgh';
    const page = await post(url, { password: weak, confirmation: weak });
    assert.equal(page.status, 422);
    assertSafePage(page, token);
    assert.match(page.html, /role="alert"/);
    assert.match(
      page.html,
      /Ce mot de passe ne convient pas encore\u00a0: il manque une majuscule et un chiffre\./,
    );
    assert.match(page.html, /aria-invalid="true"/);
    // An error page, with the error colour: not the green bar of a success.
    assert.match(page.html, /<main class="problem">/);
    assert.ok(!page.html.includes(weak), 'the password typed is not sent back');
    assert.doesNotMatch(page.html, /value=/);
    assert.equal(await entries.inspect(token), 'open', 'the link still works');
    assert.equal(saved.length, 0);
  });

  it('POST refuses two different entries, and both problems at once', async () => {
    const { url } = await newLink();
    const mismatch = await post(url, { password: STRONG, confirmation: `${STRONG}x` });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.html, /Les deux saisies sont différentes/);
    const both = await post(url, { password: 'abc', confirmation: 'abd' });
    assert.match(both.html, /il compte moins de 8 caractères, il manque une majuscule et un chiffre/);
    assert.match(both.html, /Les deux saisies sont différentes/);
    const empty = await post(url, {});
    assert.equal(empty.status, 422);
  });

  it('POST saves the hash, says « revenez dans la conversation », resumes it, then the link is used', async () => {
    const { url, token, id } = await newLink();
    const page = await post(url, { password: STRONG, confirmation: STRONG });
    assert.equal(page.status, 200);
    assertSafePage(page, token);
    assert.match(page.html, /<h1>Mot de passe enregistré, revenez dans la conversation<\/h1>/);
    assert.match(page.html, /<main class="success">/);
    assert.deepEqual(saved.at(-1), { status: 'saved', id, conversation });
    const claimed = await entries.claim(id);
    assert.ok(claimed && claimed !== 'consumed' && (await testHasher.verify(claimed.passwordHash, STRONG)));

    const again = await post(url, { password: STRONG, confirmation: STRONG });
    assert.equal(again.status, 410);
    assert.match(again.html, /Ce lien a déjà été utilisé/);
    assertLeadsToChat(again);
    const reopened = await get(url);
    assert.equal(reopened.status, 410);
    assertSafePage(reopened, token);
    assertLeadsToChat(reopened);
    assert.equal(saved.length, 1, 'resumed once');
  });

  it('an expired link: 410 with the way to a new one; a replaced one: 410; unknown: 404', async () => {
    const expired = await newLink();
    clock.set(new Date(Date.parse(IN_WINDOW) + 31 * 60_000));
    const page = await get(expired.url);
    assert.equal(page.status, 410);
    assert.match(page.html, /Ce lien a expiré[\s\S]*écrivez «\u00a0renvoyer\u00a0»/);
    assertLeadsToChat(page);
    assert.equal((await post(expired.url, { password: STRONG, confirmation: STRONG })).status, 410);
    clock.set(IN_WINDOW);

    const replaced = await newLink();
    await entries.revoke(replaced.id);
    const replacedPage = await get(replaced.url);
    assert.equal(replacedPage.status, 410);
    assert.match(replacedPage.html, /Ce lien a été remplacé/);
    assertLeadsToChat(replacedPage);

    for (const token of ['x'.repeat(43), 'court', '%00']) {
      const unknown = await get(`${base}${PASSWORD_ENTRY_PATH}/${token}`);
      assert.equal(unknown.status, 404);
      assertSafePage(unknown);
      assert.match(unknown.html, /Ce lien n’est pas valide/);
      assertLeadsToChat(unknown);
    }
  });

  it('POST: only a form body, at most 4 KB (415, 413), never a 500', async () => {
    const { url, token } = await newLink();
    const json = await post(url, { password: STRONG, confirmation: STRONG }, 'application/json');
    assert.equal(json.status, 415);
    assertSafePage(json);
    const big = await post(url, { password: 'A1a'.repeat(2000), confirmation: 'x' });
    assert.equal(big.status, 413);
    assertLeadsToChat(json);
    assertLeadsToChat(big);
    assert.equal(await entries.inspect(token), 'open');
  });

  it('a client gone mid-body is dropped quietly: no « request failed », the link stays open', async () => {
    const { url, token } = await newLink();
    const { pathname, port } = new URL(url);
    const before = logs.length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 400\r\n\r\npassword=Elec',
        );
        // Long enough for the server to have read the head and started on the body.
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // The next request on the server is answered after the aborted one was handled.
    assert.equal((await get(url)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logged = logs.slice(before);
    assert.doesNotMatch(logged, /request failed|"level":50/);
    assert.ok(!logged.includes('Elec'), 'no body in the logs');
    assert.equal(await entries.inspect(token), 'open');
  });

  it('a store failure: a French 503 page, the link stays usable', async () => {
    const { url, token } = await newLink();
    sinon.stub(store, 'findByToken').rejects(new AppError('STORE_UNAVAILABLE', 'redis down'));
    const page = await get(url);
    assert.equal(page.status, 503);
    assert.match(page.html, /Service momentanément indisponible/);
    assertLeadsToChat(page);
    sinon.restore();
    assert.equal(await entries.inspect(token), 'open');
  });
});

describe('POST /mot-de-passe/<jeton> per client IP', () => {
  const clock = new FixedClock(IN_WINDOW);
  let base = '';
  let hashes = 0;
  const entries = new PasswordEntryService({
    store: new MemoryPasswordEntryStore(),
    clock,
    hasher: {
      hash: (password: string) => {
        hashes++;
        return testHasher.hash(password);
      },
      verify: testHasher.verify,
    },
    calendar: CALENDAR,
    baseUrl: () => base,
  });
  const server = createHttpServer(
    {
      messages: async (_req, res) => {
        res.sendRaw(200, '');
      },
      healthy: async () => true,
    },
    silentLogger(),
    [
      passwordEntryMount({
        entries,
        logger: silentLogger(),
        onSaved: async () => undefined,
        limiter: new MemoryRateLimiter(),
        trustProxy: true,
        now: () => clock.now().getTime(),
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

  const submit = (url: string, ip: string, password = 'faible') =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': ip },
      body: new URLSearchParams({ password, confirmation: password }).toString(),
    });

  it('answers 429 with Retry-After once one IP spent its budget; another IP still gets through', async () => {
    const link = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    const { burst } = RULES.passwordEntrySubmitsPerIp;
    for (let i = 0; i < burst; i++) assert.equal((await submit(link.url, '203.0.113.7')).status, 422);
    const refused = await submit(link.url, '203.0.113.7', STRONG);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const html = await refused.text();
    assert.match(html, /Trop de tentatives/);
    assert.match(html, /<a href="\/">Ouvrir l’Assistant électeur<\/a>/, 'no dead end');
    assert.equal(hashes, 0, 'the refused submit ran no argon2');
    assert.equal((await submit(link.url, '198.51.100.2', STRONG)).status, 200, 'another IP');
    assert.equal(hashes, 1);
  });
});
