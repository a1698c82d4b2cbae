import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { RedisStats } from '../../../src/infra/redis/stats';
import { type TestRedis, testRedis } from '../../support/redis';
import { type Console, FakeAccounts, InTestArchive, NOW, startConsole } from './support';

const HOUR = 3_600_000;
const XSS = '<script>alert("xss")</script> & <img src=x onerror=alert(1)>';

describe('helpdesk statistics (real HTTP, statistics and audit in real Redis)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let app: Console;
  let bare: Console;

  before(async () => {
    redis = await testRedis();
    const stats = new RedisStats(redis.redis, { prefix: redis.prefix, clock: { now: () => NOW } });
    // NOW is 2014-11-20 11 h in Paris.
    await stats.accountRequested('created', 'a@ac-paris.fr', new Date(NOW.getTime() - 30 * HOUR));
    await stats.accountRequested('created', 'b@ac-paris.fr', new Date(NOW.getTime() - 29 * HOUR));
    await stats.accountRequested('created', 'c@ac-paris.fr', new Date(NOW.getTime() - HOUR));
    await stats.accountConfirmed('b@ac-paris.fr', new Date(NOW.getTime() - 28 * HOUR));
    await stats.mailSent(new Date(NOW.getTime() - 30 * HOUR));
    await stats.mailSent(new Date(NOW.getTime() - 29 * HOUR));
    await stats.mailSent(new Date(NOW.getTime() - HOUR));
    await stats.mailFailed(new Date(NOW.getTime() - HOUR));
    await stats.recognised('ask_vote_close', true, NOW);
    await stats.recognised('ask_vote_close', false, NOW);
    await stats.recognised('ask_vote_close', true, NOW);
    await stats.recognised('help', true, NOW);
    // Names an older version recorded, which the bot no longer knows.
    await stats.recognised('statut_compte', true, NOW);
    await stats.recognised('aide', false, NOW);
    await stats.misunderstood(XSS, NOW);
    const base = { transcripts: new InTestArchive(), accounts: new FakeAccounts() };
    app = await startConsole(redis, { ...base, stats });
    bare = await startConsole(redis, base);
  });

  after(async () => {
    await app?.close();
    await bare?.close();
    await redis?.cleanup();
  });

  for (const path of ['/helpdesk/stats', '/helpdesk/api/stats']) {
    it(`refuses ${path} without credentials (401)`, async () => {
      const response = await app.get(path, { auth: null });
      assert.equal(response.status, 401);
      assert.doesNotMatch(await response.text(), /statut_compte|alert/);
    });
  }

  it('shows the figures, a script-free SVG chart and the same figures as a table', async () => {
    const response = await app.get('/helpdesk/stats?days=7');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\sstyle=/i, 'the CSP forbids inline styles');
    assert.match(html, /<h1>Statistiques de la campagne<\/h1>/);
    assert.match(html, /Du vendredi 14 novembre 2014 au jeudi 20 novembre 2014/);
    // Key figures: 3 created, 1 confirmed, 1 pending for more than 24 h, 3 mails sent, 1 failed.
    assert.match(html, /Comptes créés sur la période<\/dt><dd>3<\/dd>/);
    assert.match(html, /Comptes confirmés sur la période<\/dt><dd>1<\/dd>/);
    assert.match(html, /plus de 24 heures \(aujourd’hui\)<\/dt><dd>1<\/dd>/);
    assert.match(html, /Mails envoyés sur la période<\/dt><dd>3<\/dd>/);
    assert.match(html, /Mails en échec sur la période<\/dt><dd>1<\/dd>/);
    assert.match(
      html,
      /<svg class="chart-wide" viewBox="0 0 720 260"[^>]* role="img" aria-labelledby="graphique-svg-titre graphique-svg-desc"/,
    );
    // Drawn twice (columns for a wide screen, rows for a phone), two bars a day for 7 days in each.
    assert.equal(html.match(/<rect x=/g)?.length, 28, 'two bars a day for 7 days, in each drawing');
    assert.match(
      html,
      /<svg class="chart-phone" viewBox="0 0 288 \d+"[^>]* role="img" aria-labelledby="graphique-mobile-titre graphique-mobile-desc"/,
    );
    assert.match(html, /<title>19\/11, Comptes créés, 2<\/title>/);
    assert.match(
      html,
      /<time datetime="2014-11-19">mercredi 19 novembre 2014<\/time><\/th><td>2<\/td><td>1<\/td><td>2<\/td><td>0<\/td>/,
    );
    assert.match(html, /<tfoot><tr><th scope="row">Total<\/th><td>3<\/td><td>1<\/td><td>3<\/td><td>1<\/td>/);
  });

  it('names the intents by their French label, and the names it does not know « Autre »', async () => {
    const html = await (await app.get('/helpdesk/stats?days=7')).text();
    const table = /<caption id="intentions-legende">[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? '';
    const rows = [
      ...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g),
    ].map((m) => m.slice(1).join(' | '));
    assert.deepEqual(rows, ['Fin du vote | 3 | 1', 'Autre | 2 | 1', 'Aide | 1 | 0']);
    assert.doesNotMatch(html, /ask_vote_close|statut_compte|<code>aide/);
  });

  it('shows misunderstood messages as inert text', async () => {
    const html = await (await app.get('/helpdesk/stats')).text();
    assert.ok(!html.includes('<img src=x'), 'the markup is not interpreted');
    assert.ok(
      html.includes(
        '&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
      ),
    );
  });

  it('falls back to 14 days for a hand-edited period', async () => {
    const html = await (await app.get('/helpdesk/stats?days=9999')).text();
    assert.equal(html.match(/<rect x=/g)?.length, 56);
    assert.match(html, /<option value="14" selected>/);
  });

  it('answers the same figures as JSON, and refuses a bad period', async () => {
    const response = await app.get('/helpdesk/api/stats?days=2');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    const body = (await response.json()) as { intents: Array<{ intent: string; count: number }> };
    // The API keeps the recorded names (ties in any order); only the page shows labels.
    body.intents.sort((x, y) => y.count - x.count || x.intent.localeCompare(y.intent));
    assert.deepEqual(body, {
      from: '2014-11-19',
      to: '2014-11-20',
      days: 2,
      daily: [
        { day: '2014-11-19', accountsCreated: 2, accountsConfirmed: 1, mailsSent: 2, mailsFailed: 0 },
        { day: '2014-11-20', accountsCreated: 1, accountsConfirmed: 0, mailsSent: 1, mailsFailed: 1 },
      ],
      pendingOver24h: 1,
      intents: [
        { intent: 'ask_vote_close', count: 3, unsure: 1 },
        { intent: 'aide', count: 1, unsure: 1 },
        { intent: 'help', count: 1, unsure: 0 },
        { intent: 'statut_compte', count: 1, unsure: 0 },
      ],
      misunderstood: [{ at: NOW.toISOString(), text: XSS }],
      domainsSeen: ['ac-paris.fr'],
    });
    const bad = await app.get('/helpdesk/api/stats?days=0');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST');
  });

  it('writes each reading to the audit log', async () => {
    await app.get('/helpdesk/api/stats?days=30');
    const entries = await app.audit.recent(50);
    assert.ok(entries.some((entry) => entry.action === 'stats.read' && entry.target === 'days:30'));
    const page = await (await app.get('/helpdesk/audit')).text();
    assert.match(page, /<td>statistiques<\/td>/);
  });

  it('says statistics are unavailable when the server has none', async () => {
    const page = await bare.get('/helpdesk/stats');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Les statistiques ne sont pas disponibles sur ce serveur\./);
    const api = await bare.get('/helpdesk/api/stats');
    assert.equal(api.status, 503);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'STATS_UNAVAILABLE');
  });

  it('links the statistics from every page', async () => {
    assert.match(await (await app.get('/helpdesk')).text(), /<a href="\/helpdesk\/stats">Statistiques<\/a>/);
  });
});
