import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { StoredActivity } from '../../../src/domain/transcripts/ports';
import { type TestRedis, testRedis } from '../../support/redis';
import { AGENT, basic, type Console, FakeAccounts, InTestArchive, NOW, startConsole } from './support';

const TEACHER = 'claire.martin@ac-paris.fr';
const TEAMS_CONVERSATION = '19:meeting_abc@thread.v2';
const XSS = '<script>alert("xss")</script> & <img src=x onerror=alert(1)>';

/** Activities as the redacting transcript logger stores them: the password is already masked. */
function activities(conversationId: string, channelId: string): StoredActivity[] {
  const base = { channelId, conversation: { id: conversationId }, serviceUrl: 'https://smba.example' };
  const user = { id: 'u1', name: 'Claire', role: 'user' };
  const bot = { id: 'b1', name: 'Assistant électeur', role: 'bot' };
  return [
    { ...base, type: 'conversationUpdate', timestamp: '2014-11-20T08:00:00.000Z', membersAdded: [user] },
    { ...base, type: 'message', from: user, text: 'bonjour', timestamp: '2014-11-20T08:00:05.000Z' },
    {
      ...base,
      type: 'message',
      from: bot,
      text: 'Quelle est votre adresse professionnelle\u00a0?',
      timestamp: '2014-11-20T08:00:06.000Z',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Aide', value: 'aide' }] },
    },
    { ...base, type: 'message', from: user, text: XSS, timestamp: '2014-11-20T08:01:00.000Z' },
    { ...base, type: 'message', from: user, text: TEACHER, timestamp: '2014-11-20T08:02:00.000Z' },
    { ...base, type: 'message', from: user, text: '[masqué]', timestamp: '2014-11-20T08:03:00.000Z' },
  ];
}

describe('helpdesk console (real HTTP, audit in real Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let app: Console;
  const archive = new InTestArchive();
  const accounts = new FakeAccounts(2);

  before(async () => {
    redis = await testRedis();
    archive.add(
      {
        channelId: 'webchat',
        conversationId: 'conv-1',
        created: '2014-11-20T08:00:00.000Z',
        lastActivity: '2014-11-20T08:03:00.000Z',
        email: TEACHER,
      },
      activities('conv-1', 'webchat'),
    );
    archive.add(
      {
        channelId: 'msteams',
        conversationId: TEAMS_CONVERSATION,
        created: '2014-11-20T09:00:00.000Z',
        lastActivity: '2014-11-20T09:05:00.000Z',
      },
      activities(TEAMS_CONVERSATION, 'msteams').slice(0, 3),
    );
    archive.add(
      {
        channelId: 'webchat',
        conversationId: 'conv-old',
        created: '2014-11-18T22:30:00.000Z', // 23 h 30 in Paris: the 18th, not the 19th
        lastActivity: '2014-11-18T22:31:00.000Z',
        email: 'paul.durand@ac-paris.fr',
      },
      activities('conv-old', 'webchat').slice(0, 2),
    );
    accounts.snapshots.set(TEACHER, {
      email: TEACHER,
      status: 'pending',
      createdAt: Date.parse('2014-11-20T08:02:30Z'),
      updatedAt: Date.parse('2014-11-20T08:02:30Z'),
      tokenExpiresAt: Date.parse('2014-11-22T08:02:30Z'),
    });
    accounts.snapshots.set('paul.durand@ac-paris.fr', {
      email: 'paul.durand@ac-paris.fr',
      status: 'confirmed',
      createdAt: Date.parse('2014-11-18T22:31:00Z'),
      updatedAt: Date.parse('2014-11-18T22:40:00Z'),
      confirmedAt: Date.parse('2014-11-18T22:40:00Z'),
    });
    // Two pending requests (a stranger's beside the teacher's, say): the helpdesk may cancel them.
    archive.add(
      {
        channelId: 'webchat',
        conversationId: 'conv-cancel',
        created: '2014-11-16T10:00:00.000Z',
        lastActivity: '2014-11-16T10:05:00.000Z',
        email: 'sophie.annule@ac-paris.fr',
      },
      activities('conv-cancel', 'webchat').slice(0, 2),
    );
    accounts.snapshots.set('sophie.annule@ac-paris.fr', {
      email: 'sophie.annule@ac-paris.fr',
      status: 'pending',
      createdAt: Date.parse('2014-11-16T10:02:00Z'),
      updatedAt: Date.parse('2014-11-16T10:04:00Z'),
      tokenExpiresAt: Date.parse('2014-11-18T10:04:00Z'),
      pendingRequests: 2,
    });
    accounts.snapshots.set('ada.api@ac-paris.fr', {
      email: 'ada.api@ac-paris.fr',
      status: 'pending',
      createdAt: Date.parse('2014-11-20T08:00:00Z'),
      updatedAt: Date.parse('2014-11-20T08:00:00Z'),
      tokenExpiresAt: Date.parse('2014-11-22T08:00:00Z'),
    });
    app = await startConsole(redis, { transcripts: archive, accounts });
  });

  after(async () => {
    await app?.close();
    await redis?.cleanup();
  });

  describe('authentication', () => {
    for (const path of [
      '/helpdesk',
      '/helpdesk/api/conversations?email=x@ac-paris.fr',
      '/helpdesk/api/audit',
    ]) {
      it(`refuses ${path} without credentials (401, French realm)`, async () => {
        const response = await app.get(path, { auth: null });
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="Console d'assistance"/);
        assert.match(await response.text(), /Identifiez-vous/);
      });
    }

    it('refuses a wrong password and an unknown login (401)', async () => {
      for (const auth of [basic(AGENT.login, 'mauvais'), basic('inconnu', AGENT.password), 'Bearer abc']) {
        const response = await app.get('/helpdesk/api/audit', { auth });
        assert.equal(response.status, 401, auth);
      }
    });

    it('refuses the resend action without credentials, and sends nothing', async () => {
      const response = await app.get(`/helpdesk/api/accounts/${TEACHER}/resend`, {
        method: 'POST',
        auth: null,
      });
      assert.equal(response.status, 401);
      assert.deepEqual(accounts.resent, []);
    });
  });

  describe('JSON API', () => {
    it('finds the conversations of an address, with the account status and no secret', async () => {
      const response = await app.get(`/helpdesk/api/conversations?email=${encodeURIComponent(TEACHER)}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/);
      const rows = (await response.json()) as Array<Record<string, unknown>>;
      assert.deepEqual(rows, [
        {
          channelId: 'webchat',
          conversationId: 'conv-1',
          created: '2014-11-20T08:00:00.000Z',
          lastActivity: '2014-11-20T08:03:00.000Z',
          email: TEACHER,
          accountStatus: 'pending',
          pendingSince: '2014-11-20T08:02:30.000Z',
          linkExpiresAt: '2014-11-22T08:02:30.000Z',
        },
      ]);
    });

    it('finds an address typed with capitals and spaces', async () => {
      const response = await app.get(
        `/helpdesk/api/conversations?email=${encodeURIComponent(' Claire.Martin@AC-Paris.fr ')}`,
      );
      assert.equal(((await response.json()) as unknown[]).length, 1);
    });

    it('finds the conversations of a day (Paris time), most recent first', async () => {
      const day = (await (await app.get('/helpdesk/api/conversations?day=2014-11-20')).json()) as Array<
        Record<string, unknown>
      >;
      assert.deepEqual(
        day.map((r) => [r.conversationId, r.email, r.accountStatus]),
        [
          [TEAMS_CONVERSATION, null, 'none'],
          ['conv-1', TEACHER, 'pending'],
        ],
      );
      const before = (await (await app.get('/helpdesk/api/conversations?day=2014-11-18')).json()) as Array<
        Record<string, unknown>
      >;
      assert.deepEqual(
        before.map((r) => [r.conversationId, r.accountStatus, r.confirmedAt]),
        [['conv-old', 'confirmed', '2014-11-18T22:40:00.000Z']],
      );
    });

    for (const [query, pattern] of [
      ['day=2014-02-30', /AAAA-MM-JJ/],
      ['day=20/11/2014', /AAAA-MM-JJ/],
      ['email=claire.martin', /adresse/],
      ['email=a@b.fr&day=2014-11-20', /soit une adresse, soit un jour/],
      ['', /Indiquez une adresse ou un jour/],
      ['email=a@b.fr&email=c@d.fr', /adresse/],
    ] as const) {
      it(`answers 400 in French to ?${query}`, async () => {
        const response = await app.get(`/helpdesk/api/conversations?${query}`);
        assert.equal(response.status, 400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'BAD_REQUEST');
        assert.match(body.error.message, pattern);
      });
    }

    it('exports a transcript as an attachment the Emulator opens: an array of activities', async () => {
      const response = await app.get(
        `/helpdesk/api/transcripts/msteams/${encodeURIComponent(TEAMS_CONVERSATION)}`,
      );
      assert.equal(response.status, 200);
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /^attachment; filename="msteams-19_meeting_abc_thread\.v2\.transcript"$/,
      );
      const body = JSON.parse(await response.text()) as unknown;
      assert.ok(Array.isArray(body));
      assert.equal(body.length, 3);
      for (const activity of body as Array<Record<string, unknown>>) {
        assert.equal(typeof activity.type, 'string');
        assert.equal((activity.conversation as { id: string }).id, TEAMS_CONVERSATION);
      }
    });

    it('answers 404 for a conversation that is not stored', async () => {
      const response = await app.get('/helpdesk/api/transcripts/webchat/inconnue');
      assert.equal(response.status, 404);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /n’existe pas/);
    });

    it('resends the confirmation mail of a pending account (202), at most twice an hour', async () => {
      const response = await app.get(`/helpdesk/api/accounts/${encodeURIComponent(TEACHER)}/resend`, {
        method: 'POST',
      });
      assert.equal(response.status, 202);
      assert.deepEqual(await response.json(), {
        status: 'resent',
        email: TEACHER,
        linkExpiresAt: '2014-11-22T10:00:00.000Z',
      });
      assert.deepEqual(accounts.resent, [TEACHER]);

      assert.equal(
        (await app.get(`/helpdesk/api/accounts/${TEACHER}/resend`, { method: 'POST' })).status,
        202,
      );
      const third = await app.get(`/helpdesk/api/accounts/${TEACHER}/resend`, { method: 'POST' });
      assert.equal(third.status, 429);
      assert.equal(third.headers.get('retry-after'), '1200');
      const { error } = (await third.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'TOO_MANY_RESENDS');
      assert.match(error.message, /Réessayez dans 20\u00a0minutes\./);
      assert.equal(accounts.resent.length, 2);
    });

    it('answers 404 when there is no pending account, 400 for a malformed address', async () => {
      const none = await app.get('/helpdesk/api/accounts/personne@ac-paris.fr/resend', { method: 'POST' });
      assert.equal(none.status, 404);
      assert.match(((await none.json()) as { error: { message: string } }).error.message, /Aucun compte/);
      const confirmed = await app.get('/helpdesk/api/accounts/paul.durand@ac-paris.fr/resend', {
        method: 'POST',
      });
      assert.equal(confirmed.status, 404);
      const bad = await app.get('/helpdesk/api/accounts/pas-une-adresse/resend', { method: 'POST' });
      assert.equal(bad.status, 400);
    });

    it('cancels the pending requests of an address (200 with the count), then answers 404', async () => {
      const path = '/helpdesk/api/accounts/ada.api@ac-paris.fr/cancel';
      const response = await app.get(path, { method: 'POST' });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        status: 'cancelled',
        email: 'ada.api@ac-paris.fr',
        cancelledRequests: 1,
      });
      const again = await app.get(path, { method: 'POST' });
      assert.equal(again.status, 404);
      assert.match(((await again.json()) as { error: { message: string } }).error.message, /Aucun compte/);
      const confirmed = await app.get('/helpdesk/api/accounts/paul.durand@ac-paris.fr/cancel', {
        method: 'POST',
      });
      assert.equal(confirmed.status, 404);
      assert.match(
        ((await confirmed.json()) as { error: { message: string } }).error.message,
        /déjà confirmé/,
      );
      assert.equal(
        (await app.get('/helpdesk/api/accounts/pas-une-adresse/cancel', { method: 'POST' })).status,
        400,
      );
      const crossSite = await app.get(`/helpdesk/api/accounts/${encodeURIComponent(TEACHER)}/cancel`, {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'cross-site' },
      });
      assert.equal(crossSite.status, 403);
      assert.equal((await accounts.status(TEACHER))?.status, 'pending', 'nothing cancelled');
    });

    it('refuses a resend posted from another site (403)', async () => {
      const response = await app.get('/helpdesk/api/accounts/paul.durand@ac-paris.fr/resend', {
        method: 'POST',
        headers: { Origin: 'https://evil.example' },
      });
      assert.equal(response.status, 403);
    });
  });

  describe('pages', () => {
    it('the search page: French, landmarks, labelled form, strict policy, no-store', async () => {
      const response = await app.get(`/helpdesk?email=${encodeURIComponent(TEACHER)}`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /<html lang="fr">/);
      for (const landmark of ['<header>', '<nav aria-label=', '<main id="contenu"'])
        assert.ok(html.includes(landmark), landmark);
      assert.match(html, /<label for="email">/);
      assert.match(html, /<label for="day">/);
      assert.match(html, /<caption id="resultats-legende">1 conversation\(s\) trouvée\(s\)\.<\/caption>/);
      assert.match(html, /<th scope="col">Compte électeur<\/th>/);
      assert.match(html, /en attente depuis le jeudi 20 novembre 2014 à 9\u00a0h\u00a002/);
      assert.ok(html.includes('href="/helpdesk/transcripts/webchat/conv-1"'));
      assert.doesNotMatch(html, /<script/i);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    });

    it('a bad day on the page: 400 with the form and the explanation', async () => {
      const response = await app.get('/helpdesk?day=2014-13-01');
      assert.equal(response.status, 400);
      const html = await response.text();
      assert.match(html, /role="alert"[^>]*>Cette date ne convient pas/);
      assert.match(html, /value="2014-13-01"/);
    });

    it('the transcript reads like a chat, and a teacher typing <script> shows as text', async () => {
      const response = await app.get('/helpdesk/transcripts/webchat/conv-1');
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.doesNotMatch(html, /<script|<img/i);
      assert.ok(
        html.includes(
          '&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
        ),
      );
      assert.match(
        html,
        /<strong>Enseignant<\/strong> <time datetime="2014-11-20T09:00:05\+01:00">9\u00a0h<\/time>/,
      );
      assert.match(html, /<strong>Assistant<\/strong> <time datetime="[^"]+">9\u00a0h<\/time>/);
      assert.match(html, /dernier message le jeudi 20 novembre 2014 à 9\u00a0h\u00a003 \(heure de Paris\)/);
      assert.match(html, /Choix proposés\u00a0: Aide/);
      assert.match(html, /en attente de confirmation depuis le jeudi 20 novembre 2014 à 9\u00a0h\u00a002/);
      assert.match(html, /valable jusqu’au samedi 22 novembre 2014 à 9\u00a0h\u00a002/);
      assert.match(html, /<form method="post" action="\/helpdesk\/resend">/);
      assert.match(html, /href="\/helpdesk\/api\/transcripts\/webchat\/conv-1" download/);
      assert.doesNotMatch(html, /argon2|tokenHash|sealed/i);
    });

    it('opens a Teams conversation whose id holds « : » and « @ »', async () => {
      const list = await (await app.get('/helpdesk?day=2014-11-20')).text();
      const href = `/helpdesk/transcripts/msteams/${encodeURIComponent(TEAMS_CONVERSATION)}`;
      assert.ok(list.includes(`href="${href}"`), href);
      const page = await app.get(href);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /pas encore donné son adresse/);
    });

    it('offers « Annuler la demande en attente » beside « Renvoyer », says how many wait, and needs the token', async () => {
      const page = await (await app.get('/helpdesk/transcripts/webchat/conv-cancel')).text();
      assert.match(page, /2 demandes attendent une confirmation pour cette adresse/);
      assert.match(page, /<form method="post" action="\/helpdesk\/resend">/);
      assert.match(page, /<form method="post" action="\/helpdesk\/cancel">/);
      assert.match(
        page,
        /<button type="submit" aria-describedby="annulation-aide">Annuler la demande en attente<\/button>/,
      );
      const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token);
      const post = (body: string) =>
        app.get('/helpdesk/cancel', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
      const email = encodeURIComponent('sophie.annule@ac-paris.fr');
      assert.equal((await post(`email=${email}&csrf=abc`)).status, 403);
      assert.equal((await accounts.status('sophie.annule@ac-paris.fr'))?.status, 'pending');
      const done = await post(`email=${email}&csrf=${token}`);
      assert.equal(done.status, 200);
      const html = await done.text();
      assert.match(html, /<h1>Demande annulée<\/h1>/);
      assert.match(html, /Les 2 demandes en attente pour sophie\.annule@ac-paris\.fr sont annulées/);
      const again = await post(`email=${email}&csrf=${token}`);
      assert.equal(again.status, 404);
      assert.match(await again.text(), /Demande non annulée[\s\S]*Aucun compte/);
    });

    it('the resend form needs its anti-forgery token', async () => {
      const page = await (await app.get('/helpdesk/transcripts/webchat/conv-1')).text();
      const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token);
      const post = (body: string) =>
        app.get('/helpdesk/resend', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
      const forged = await post(`email=${encodeURIComponent('paul.durand@ac-paris.fr')}&csrf=abc`);
      assert.equal(forged.status, 403);
      const real = await post(`email=${encodeURIComponent('paul.durand@ac-paris.fr')}&csrf=${token}`);
      // Paul's account is confirmed: the form is accepted but there is nothing to resend.
      assert.equal(real.status, 404);
      assert.match(await real.text(), /déjà confirmé/);
    });

    it('the resend form: a browser’s same-origin post with `Origin: null` passes, a cross-site one does not', async () => {
      const page = await (await app.get('/helpdesk/transcripts/webchat/conv-1')).text();
      const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(token);
      const body = `email=${encodeURIComponent('paul.durand@ac-paris.fr')}&csrf=${token}`;
      const post = (headers: Record<string, string>, content = body) =>
        app.get('/helpdesk/resend', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body: content,
        });
      // What Chromium sends for the console's own form under `Referrer-Policy: no-referrer`.
      const own = await post({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' });
      assert.equal(own.status, 404, 'accepted: Paul’s account is confirmed, nothing to resend');
      for (const site of ['cross-site', 'same-site']) {
        const refused = await post({ Origin: 'null', 'Sec-Fetch-Site': site });
        assert.equal(refused.status, 403, site);
        assert.match(await refused.text(), /<title>Action refusée/);
      }
      const huge = await post({}, `${body}&x=${'a'.repeat(8_000)}`);
      assert.equal(huge.status, 413);
      assert.match(await huge.text(), /trop volumineuse/);
      const json = await post({ 'Content-Type': 'application/json' }, '{}');
      assert.equal(json.status, 415);
      assert.match(await json.text(), /formulaire reçu n’a pas le bon format/);
    });

    it('the JSON API refuses a browser’s cross-site call and an Origin that is not ours', async () => {
      const resend = (headers: Record<string, string>) =>
        app.get('/helpdesk/api/accounts/paul.durand@ac-paris.fr/resend', { method: 'POST', headers });
      assert.equal((await resend({ 'Sec-Fetch-Site': 'cross-site' })).status, 403);
      assert.equal((await resend({ Origin: 'null' })).status, 403);
      // A tool (curl) sends neither: judged by its credentials alone.
      assert.equal((await resend({})).status, 404);
    });
  });

  describe('audit', () => {
    it('lists who searched, read, exported and resent, newest first, in Redis', async () => {
      const response = await app.get('/helpdesk/api/audit?limit=1000');
      assert.equal(response.status, 200);
      const records = (await response.json()) as Array<Record<string, unknown>>;
      const entries = records.filter((e) => e.action !== 'login.failed');
      const seen = entries.map((e) => `${e.action} ${e.target}`);
      for (const expected of [
        `search email:${TEACHER}`,
        'search day:2014-11-20',
        'transcript.read webchat/conv-1',
        `transcript.read msteams/${TEAMS_CONVERSATION}`,
        `transcript.export msteams/${TEAMS_CONVERSATION}`,
        `account.resend email:${TEACHER}`,
        'account.cancel email:ada.api@ac-paris.fr',
        'account.cancel email:sophie.annule@ac-paris.fr',
      ])
        assert.ok(seen.includes(expected), expected);
      for (const entry of entries) {
        assert.equal(entry.login, AGENT.login);
        assert.equal(entry.at, NOW.toISOString());
      }
      // Two resends succeeded and five reached an account and were refused (nothing pending, already
      // confirmed): a refusal reveals a status, so it is audited too.
      assert.equal(seen.filter((s) => s.startsWith('account.resend ')).length, 7);
      // The third resend of the hour, refused by the address's budget: audited as such.
      assert.deepEqual(
        seen.filter((s) => s.startsWith('account.resend.limited')),
        [`account.resend.limited email:${TEACHER}`],
      );
      assert.ok(seen.includes('audit.read limit:1000'), 'reading the audit is itself audited');
      // The wrong password, the unknown login and the Bearer header: counted for the address and the hour.
      assert.deepEqual(
        records.filter((e) => e.action === 'login.failed'),
        [
          {
            action: 'login.failed',
            at: '2014-11-20T10:00:00.000Z',
            address: '127.0.0.1',
            failed: 3,
            blocked: 0,
          },
        ],
      );
      assert.equal(response.headers.get('link'), null, 'everything fits on one page');
      assert.ok((await redis.keys()).includes(`${redis.prefix}{audit}:log`));
    });

    it('the audit page lists them in French', async () => {
      const html = await (await app.get('/helpdesk/audit')).text();
      assert.match(html, /<td>renvoi du mail<\/td>/);
      assert.match(html, /<td>renvoi du mail refusé \(trop de renvois\)<\/td>/);
      assert.match(html, /<td>annulation de la demande<\/td>/);
      assert.match(html, /<td>lecture<\/td>/);
      assert.match(
        html,
        /<td><time datetime="2014-11-20T11:00:00\+01:00">jeudi 20 novembre 2014, de 11\u00a0h à 12\u00a0h<\/time><\/td>\s*<td>non conservé<\/td>\s*<td>connexions refusées<\/td>\s*<td><code>127\.0\.0\.1<\/code> 3 échec\(s\), 0 essai\(s\) bloqué\(s\) par la limite<\/td>/,
      );
      assert.match(html, /gardée 400 jours/);
      assert.doesNotMatch(html, /entrées plus anciennes/);
    });

    it('pages the API and the page by time: older entries behind a cursor, nothing lost', async () => {
      const own = await testRedis();
      let now = Date.parse('2014-11-20T10:15:00Z');
      const paged = await startConsole(own, {
        transcripts: archive,
        accounts,
        clock: { now: () => new Date(now) },
      });
      try {
        assert.equal(
          (await paged.get('/helpdesk/api/audit', { auth: basic(AGENT.login, 'faux') })).status,
          401,
        );
        for (let i = 0; i < 4; i += 1) {
          now += 1_000;
          await paged.get(`/helpdesk?day=2014-11-2${i}`);
        }
        now += 1_000;
        const first = await paged.get('/helpdesk/api/audit?limit=3');
        assert.equal(first.status, 200);
        const records = (await first.json()) as Array<{ action: string; target?: string }>;
        assert.deepEqual(
          records.map((r) => `${r.action} ${r.target}`),
          ['audit.read limit:3', 'search day:2014-11-23', 'search day:2014-11-22'],
        );
        const link = first.headers.get('link') ?? '';
        const next = /^<(\/helpdesk\/api\/audit\?limit=3&before=([^>]+))>; rel="next"$/.exec(link);
        assert.equal(next?.[2], encodeURIComponent('2014-11-20T10:15:03.000Z'), link);
        const second = await paged.get(next?.[1] ?? '');
        assert.deepEqual(
          ((await second.json()) as Array<{ action: string; target?: string }>).map(
            (r) => `${r.action} ${r.target}`,
          ),
          ['search day:2014-11-21', 'search day:2014-11-20', 'login.failed undefined'],
          'the failed login sits at the start of its hour, after the later reads',
        );
        assert.equal(second.headers.get('link'), null, 'the oldest page has no next');

        const html = await (await paged.get('/helpdesk/audit')).text();
        assert.doesNotMatch(html, /entrées plus anciennes/, 'everything fits in one page of 200');
        const older = await (
          await paged.get(`/helpdesk/audit?before=${encodeURIComponent('2014-11-20T10:15:02.000Z')}`)
        ).text();
        assert.match(older, /<caption id="journal-legende">Entrées plus anciennes \(2\)<\/caption>/);
        assert.match(older, /connexions refusées/);
        assert.match(older, /<a href="\/helpdesk\/audit">Revenir aux entrées les plus récentes<\/a>/);
        assert.equal((await paged.get('/helpdesk/api/audit?before=hier')).status, 400);
      } finally {
        await paged.close();
        await own.cleanup();
      }
    });

    it('refuses a bad limit (400)', async () => {
      assert.equal((await app.get('/helpdesk/api/audit?limit=0')).status, 400);
    });
  });
});
