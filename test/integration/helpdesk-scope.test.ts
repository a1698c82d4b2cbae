import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { AuditEntry } from '../../src/domain/audit/ports';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { RedisAuditLog } from '../../src/infra/redis/audit';
import { type BotHarness, startBot } from '../support/bot-harness';
import { requestAccount, SENT, walkToPassword } from '../support/walk';

/** Cheap argon2id parameters: the PHC records them, so the console verifies with them. */
const PASSWORD = 'Console-Perimetre-2014';
const AGENTS = { paris: 'ac-paris.fr', creteil: 'ac-creteil.fr', national: undefined } as const;
type Agent = keyof typeof AGENTS;

const TEACHER = 'pauline.paris@ac-paris.fr';
/** One Créteil address per action, so that each one is refused to Paris first, then done by a national agent. */
const OUTSIDE = {
  resend: 'camille.renvoi@ac-creteil.fr',
  cancel: 'claude.annule@ac-creteil.fr',
  cancelForm: 'chloe.formulaire@ac-creteil.fr',
  erase: 'cyril.efface@ac-creteil.fr',
} as const;
const TODAY = '2014-11-20';

interface RouteSpec {
  spec: { method: string; path: string };
}

/** What the console must do for one route, as a scoped agent outside its académies, then as a national one. */
interface ScopeCase {
  /** Refused (403 « hors de votre périmètre », audited) or served with nothing outside. */
  outside(): Promise<void>;
  /** The same for an agent of every académie: served, the other académie included. */
  everywhere(): Promise<void>;
}

/**
 * Every console route, for an agent scoped to ac-paris.fr, on the real app (real HTTP, Redis, SMTP): a
 * table keyed by the routes the router holds, so a route added without its case fails the first test.
 */
describe('helpdesk agents scoped by académie, on every console route (real app)', function () {
  this.timeout(120_000);
  let bot: BotHarness;
  let audit: RedisAuditLog;
  const conversations = { paris: '', outside: '', erase: '', unknown: '', liveApi: '', liveForm: '' };

  const call = (agent: Agent, path: string, init: RequestInit = {}) =>
    fetch(`${bot.url}${path}`, {
      redirect: 'manual',
      ...init,
      headers: {
        Authorization: `Basic ${Buffer.from(`${agent}:${PASSWORD}`).toString('base64')}`,
        ...(init.headers ?? {}),
      },
    });
  const json = async (response: Response) => (await response.json()) as unknown;
  /** The console's form token for an agent, from a page the agent may open. */
  const csrfOf = async (agent: Agent, conversation: string) => {
    const html = await (await call(agent, `/helpdesk/transcripts/webchat/${conversation}`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(token, 'the conversation page carries the form token');
    return token;
  };
  const postForm = (agent: Agent, path: string, form: Record<string, string>) =>
    call(agent, path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  /** Nothing of the other académie, nor of the conversation of no known académie, in what Paris got. */
  const nothingOutside = (body: string) => {
    for (const marker of [
      ...Object.values(OUTSIDE),
      conversations.outside,
      conversations.erase,
      conversations.unknown,
      conversations.liveApi,
      conversations.liveForm,
    ])
      assert.ok(!body.includes(marker), `${marker} shown to a Paris agent`);
  };
  /** A refusal for Paris: 403, the console's French reason, and an audit entry naming the target and the scope. */
  const refused = async (response: Response, target: string, kind: 'api' | 'page') => {
    const body = await response.text();
    assert.equal(response.status, 403, body);
    if (kind === 'api') {
      const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'OUT_OF_SCOPE');
      assert.match(error.message, /Hors de votre périmètre.*\(ac-paris\.fr\)/);
    } else assert.match(body, /Hors de votre périmètre/);
    nothingOutside(body);
    const entries = await audit.recent(10);
    const entry = entries.find(
      (e) => e.login === 'paris' && e.action === 'scope.refused' && e.target === target,
    );
    assert.ok(entry, `scope.refused ${target} in ${JSON.stringify(entries)}`);
    assert.deepEqual(entry.scope, ['ac-paris.fr']);
  };
  const accountStatus = (email: string) => bot.app.accounts.status(email);

  before(async () => {
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    const users = Object.entries(AGENTS).map(
      ([login, domain]) => `${login}:${phc}${domain ? `:${domain}` : ''}`,
    );
    bot = await startBot({ HELPDESK_USERS: users.join(' ') });
    audit = new RedisAuditLog(bot.redis.redis, { prefix: bot.redis.prefix });

    const paris = bot.conversation('webchat');
    conversations.paris = paris.id;
    assert.match(await requestAccount(paris, TEACHER, 'Pauline1900'), SENT);
    const outside = bot.conversation('webchat');
    conversations.outside = outside.id;
    assert.match(await requestAccount(outside, OUTSIDE.resend, 'Camille1900'), SENT);
    for (const email of [OUTSIDE.cancel, OUTSIDE.cancelForm])
      assert.match(await requestAccount(bot.conversation('msteams'), email, 'Claude1900x'), SENT);
    const erase = bot.conversation('webchat');
    conversations.erase = erase.id;
    await walkToPassword(erase, OUTSIDE.erase);
    const unknown = bot.conversation('webchat');
    conversations.unknown = unknown.id;
    await unknown.say('bonjour');
    // Two Créteil teachers asking for a person (issue 15): one handled through the API, one through the forms.
    for (const [key, email] of [
      ['liveApi', 'celine.direct@ac-creteil.fr'],
      ['liveForm', 'cedric.direct@ac-creteil.fr'],
    ] as const) {
      const live = bot.conversation('webchat');
      conversations[key] = live.id;
      await walkToPassword(live, email);
      await live.say('Je voudrais parler à un conseiller');
    }
    await bot.smtp.waitForMessages(4);

    // What the audit must hide from Paris: a Créteil agent's reading, a national one's, failed logins.
    assert.equal((await call('creteil', `/helpdesk/api/conversations?email=${OUTSIDE.resend}`)).status, 200);
    assert.equal((await call('national', `/helpdesk/api/conversations?email=${TEACHER}`)).status, 200);
    const wrong = await fetch(`${bot.url}/helpdesk`, {
      headers: { Authorization: `Basic ${Buffer.from('paris:mauvais').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
  });
  after(async () => {
    await bot?.close();
  });

  const transcriptPath = (conversation: string) => `/helpdesk/transcripts/webchat/${conversation}`;
  const exportPath = (conversation: string) => `/helpdesk/api/transcripts/webchat/${conversation}`;

  const searchPage: ScopeCase = {
    async outside() {
      const byAddress = await call('paris', `/helpdesk?email=${encodeURIComponent(OUTSIDE.resend)}`);
      assert.equal(byAddress.status, 200);
      const html = await byAddress.text();
      assert.match(html, /Aucune conversation trouvée/);
      assert.ok(!html.includes(conversations.outside));
      const byDay = await (await call('paris', '/helpdesk?day=20%2F11%2F2014')).text();
      assert.ok(byDay.includes(conversations.paris), 'its own académie’s conversation is found');
      nothingOutside(byDay);
    },
    async everywhere() {
      const html = await (await call('national', '/helpdesk?day=20%2F11%2F2014')).text();
      for (const id of [
        conversations.paris,
        conversations.outside,
        conversations.erase,
        conversations.unknown,
      ])
        assert.ok(html.includes(id), id);
    },
  };

  const CASES: Record<string, ScopeCase> = {
    'GET /helpdesk': searchPage,
    'GET /helpdesk/': {
      async outside() {
        const html = await (await call('paris', `/helpdesk/?day=${TODAY}`)).text();
        assert.ok(html.includes(conversations.paris));
        nothingOutside(html);
      },
      async everywhere() {
        assert.ok(
          (await (await call('national', `/helpdesk/?day=${TODAY}`)).text()).includes(conversations.outside),
        );
      },
    },
    'GET /helpdesk/transcripts/:channelId/:conversationId': {
      async outside() {
        await refused(
          await call('paris', transcriptPath(conversations.outside)),
          `webchat/${conversations.outside}`,
          'page',
        );
        // No address, no académie: for the agents of every académie only.
        await refused(
          await call('paris', transcriptPath(conversations.unknown)),
          `webchat/${conversations.unknown}`,
          'page',
        );
        assert.equal((await call('paris', transcriptPath(conversations.paris))).status, 200);
        // What does not exist is still « not found », as for everyone.
        assert.equal((await call('paris', transcriptPath('conv-inconnue'))).status, 404);
      },
      async everywhere() {
        for (const id of [conversations.outside, conversations.unknown]) {
          const response = await call('national', transcriptPath(id));
          assert.equal(response.status, 200, id);
        }
      },
    },
    'POST /helpdesk/resend': {
      async outside() {
        const csrf = await csrfOf('paris', conversations.paris);
        const sent = bot.smtp.messages.length;
        await refused(
          await postForm('paris', '/helpdesk/resend', { email: OUTSIDE.resend, csrf }),
          `email:${OUTSIDE.resend}`,
          'page',
        );
        assert.equal(bot.smtp.messages.length, sent, 'no mail left');
      },
      async everywhere() {
        const csrf = await csrfOf('national', conversations.outside);
        const response = await postForm('national', '/helpdesk/resend', { email: OUTSIDE.resend, csrf });
        assert.equal(response.status, 202, await response.text());
      },
    },
    'POST /helpdesk/cancel': {
      async outside() {
        const csrf = await csrfOf('paris', conversations.paris);
        await refused(
          await postForm('paris', '/helpdesk/cancel', { email: OUTSIDE.cancelForm, csrf }),
          `email:${OUTSIDE.cancelForm}`,
          'page',
        );
        assert.equal((await accountStatus(OUTSIDE.cancelForm))?.status, 'pending', 'still pending');
      },
      async everywhere() {
        const csrf = await csrfOf('national', conversations.outside);
        const response = await postForm('national', '/helpdesk/cancel', { email: OUTSIDE.cancelForm, csrf });
        assert.equal(response.status, 200, await response.text());
        assert.equal(await accountStatus(OUTSIDE.cancelForm), null);
      },
    },
    'GET /helpdesk/audit': {
      async outside() {
        const html = await (await call('paris', '/helpdesk/audit')).text();
        assert.match(html, /<td>paris <span class="scope">\(périmètre\u00a0: ac-paris\.fr\)<\/span><\/td>/);
        assert.doesNotMatch(html, /<td>(creteil|national)\b/);
        assert.doesNotMatch(html, /<td>connexions refusées<\/td>/);
        nothingOutside(html);
      },
      async everywhere() {
        const html = await (await call('national', '/helpdesk/audit')).text();
        assert.match(
          html,
          /<td>creteil <span class="scope">\(périmètre\u00a0: ac-creteil\.fr\)<\/span><\/td>/,
        );
        assert.match(html, /<td>national<\/td>/);
        assert.match(html, /refusé\u00a0: hors du périmètre/);
        assert.match(html, /<td>connexions refusées<\/td>/);
      },
    },
    'GET /helpdesk/stats': {
      async outside() {
        await refused(
          await call('paris', '/helpdesk/stats?domain=ac-creteil.fr'),
          'domain:ac-creteil.fr',
          'page',
        );
        const html = await (await call('paris', '/helpdesk/stats')).text();
        assert.match(html, /Votre périmètre\u00a0: ac-paris\.fr/);
        assert.match(html, /Comptes créés sur la période<\/dt><dd>1<\/dd>/);
        assert.doesNotMatch(html, /ac-creteil|Mails envoyés|id="non-compris"|id="intentions"/);
      },
      async everywhere() {
        const national = await (await call('national', '/helpdesk/stats')).text();
        assert.match(national, /Comptes créés sur la période<\/dt><dd>4<\/dd>/);
        assert.match(national, /<option value="ac-creteil\.fr">ac-creteil\.fr<\/option>/);
        const creteil = await (await call('national', '/helpdesk/stats?domain=ac-creteil.fr')).text();
        assert.match(creteil, /Comptes créés sur la période<\/dt><dd>3<\/dd>/);
        assert.match(creteil, /<option value="ac-creteil\.fr" selected>/);
      },
    },
    'GET /helpdesk/static/helpdesk.css': {
      // The stylesheet holds no conversation: the same for every agent.
      async outside() {
        const response = await call('paris', '/helpdesk/static/helpdesk.css');
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /text\/css/);
      },
      async everywhere() {
        assert.equal((await call('national', '/helpdesk/static/helpdesk.css')).status, 200);
      },
    },
    'GET /helpdesk/api/conversations': {
      async outside() {
        assert.deepEqual(
          await json(await call('paris', `/helpdesk/api/conversations?email=${OUTSIDE.resend}`)),
          [],
        );
        const day = (await json(await call('paris', `/helpdesk/api/conversations?day=${TODAY}`))) as Array<{
          conversationId: string;
          email: string | null;
        }>;
        assert.deepEqual(
          day.map((r) => [r.conversationId, r.email]),
          [[conversations.paris, TEACHER]],
        );
      },
      async everywhere() {
        const day = (await json(
          await call('national', `/helpdesk/api/conversations?day=${TODAY}`),
        )) as unknown[];
        // Six of the set-up, and the two Créteil teachers who asked for a person.
        assert.equal(day.length, 8, JSON.stringify(day));
      },
    },
    'GET /helpdesk/api/transcripts/:channelId/:conversationId': {
      async outside() {
        await refused(
          await call('paris', exportPath(conversations.outside)),
          `webchat/${conversations.outside}`,
          'api',
        );
        assert.equal((await call('paris', exportPath(conversations.paris))).status, 200);
      },
      async everywhere() {
        const response = await call('national', exportPath(conversations.outside));
        assert.equal(response.status, 200);
        assert.ok(((await response.json()) as unknown[]).length > 5);
      },
    },
    'POST /helpdesk/api/accounts/:email/resend': {
      async outside() {
        const sent = bot.smtp.messages.length;
        await refused(
          await call('paris', `/helpdesk/api/accounts/${OUTSIDE.resend}/resend`, { method: 'POST' }),
          `email:${OUTSIDE.resend}`,
          'api',
        );
        assert.equal(bot.smtp.messages.length, sent);
      },
      async everywhere() {
        const response = await call('national', `/helpdesk/api/accounts/${OUTSIDE.resend}/resend`, {
          method: 'POST',
        });
        assert.equal(response.status, 202, await response.text());
      },
    },
    'POST /helpdesk/api/accounts/:email/cancel': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/accounts/${OUTSIDE.cancel}/cancel`, { method: 'POST' }),
          `email:${OUTSIDE.cancel}`,
          'api',
        );
        assert.equal((await accountStatus(OUTSIDE.cancel))?.status, 'pending');
      },
      async everywhere() {
        const response = await call('national', `/helpdesk/api/accounts/${OUTSIDE.cancel}/cancel`, {
          method: 'POST',
        });
        assert.equal(response.status, 200, await response.text());
      },
    },
    'DELETE /helpdesk/api/transcripts': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/transcripts?email=${OUTSIDE.erase}`, { method: 'DELETE' }),
          `email:${OUTSIDE.erase}`,
          'api',
        );
        assert.notEqual(
          await bot.app.transcripts.summary('webchat', conversations.erase),
          null,
          'still kept',
        );
      },
      async everywhere() {
        const response = await call('national', `/helpdesk/api/transcripts?email=${OUTSIDE.erase}`, {
          method: 'DELETE',
        });
        assert.deepEqual(await response.json(), { email: OUTSIDE.erase, deletedConversations: 1 });
      },
    },
    'GET /helpdesk/api/audit': {
      async outside() {
        const entries = (await json(await call('paris', '/helpdesk/api/audit'))) as AuditEntry[];
        assert.ok(entries.length > 0);
        for (const entry of entries) {
          assert.equal(entry.login, 'paris', JSON.stringify(entry));
          assert.deepEqual(entry.scope, ['ac-paris.fr']);
        }
        nothingOutside(JSON.stringify(entries));
      },
      async everywhere() {
        const entries = (await json(await call('national', '/helpdesk/api/audit?limit=1000'))) as Array<
          Record<string, unknown>
        >;
        const logins = new Set(entries.map((e) => e.login ?? e.action));
        for (const who of ['paris', 'creteil', 'national', 'login.failed']) assert.ok(logins.has(who), who);
        assert.ok(entries.some((e) => e.action === 'scope.refused' && e.target === `email:${OUTSIDE.erase}`));
      },
    },
    'GET /helpdesk/api/stats': {
      async outside() {
        await refused(
          await call('paris', '/helpdesk/api/stats?domain=ac-creteil.fr'),
          'domain:ac-creteil.fr',
          'api',
        );
        const stats = (await json(await call('paris', '/helpdesk/api/stats?days=2'))) as Record<
          string,
          unknown
        >;
        assert.deepEqual(stats, {
          from: '2014-11-19',
          to: TODAY,
          days: 2,
          domains: ['ac-paris.fr'],
          daily: [
            { day: '2014-11-19', accountsCreated: 0, accountsConfirmed: 0 },
            { day: TODAY, accountsCreated: 1, accountsConfirmed: 0 },
          ],
          pendingOver24h: 0,
          domainsSeen: ['ac-paris.fr'],
        });
      },
      async everywhere() {
        const national = (await json(await call('national', '/helpdesk/api/stats?days=2'))) as {
          daily: Array<{ accountsCreated: number }>;
          domainsSeen: string[];
          misunderstood?: unknown[];
        };
        assert.equal(national.daily.at(-1)?.accountsCreated, 4);
        assert.deepEqual(national.domainsSeen, ['ac-creteil.fr', 'ac-paris.fr']);
        assert.ok(Array.isArray(national.misunderstood));
        const creteil = (await json(
          await call('national', '/helpdesk/api/stats?days=2&domain=ac-creteil.fr'),
        )) as { domains: string[]; daily: Array<{ accountsCreated: number }> };
        assert.deepEqual(creteil.domains, ['ac-creteil.fr']);
        assert.equal(creteil.daily.at(-1)?.accountsCreated, 3);
      },
    },
    'GET /helpdesk/api/handoffs': {
      async outside() {
        const response = await call('paris', '/helpdesk/api/handoffs');
        assert.equal(response.status, 200);
        nothingOutside(await response.text());
      },
      async everywhere() {
        const listed = (await json(await call('national', '/helpdesk/api/handoffs'))) as Array<{
          conversationId: string;
          email?: string;
        }>;
        assert.equal(
          listed.find((h) => h.conversationId === conversations.liveApi)?.email,
          'celine.direct@ac-creteil.fr',
        );
      },
    },
    'GET /helpdesk/handoffs': {
      async outside() {
        const response = await call('paris', '/helpdesk/handoffs');
        assert.equal(response.status, 200);
        nothingOutside(await response.text());
      },
      async everywhere() {
        assert.match(
          await (await call('national', '/helpdesk/handoffs')).text(),
          /cedric\.direct@ac-creteil\.fr/,
        );
      },
    },
    'GET /helpdesk/static/handoffs.js': {
      async outside() {
        assert.equal((await call('paris', '/helpdesk/static/handoffs.js')).status, 200);
      },
      async everywhere() {
        assert.equal((await call('national', '/helpdesk/static/handoffs.js')).status, 200);
      },
    },
    'GET /helpdesk/handoffs/:channelId/:conversationId': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/handoffs/webchat/${conversations.liveForm}`),
          `handoff:webchat/${conversations.liveForm}`,
          'page',
        );
      },
      async everywhere() {
        const response = await call('national', `/helpdesk/handoffs/webchat/${conversations.liveForm}`);
        assert.equal(response.status, 200);
        assert.match(await response.text(), /Prendre/);
      },
    },
    'POST /helpdesk/api/handoffs/:channelId/:conversationId/take': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/take`, {
            method: 'POST',
          }),
          `handoff:webchat/${conversations.liveApi}`,
          'api',
        );
      },
      async everywhere() {
        const path = `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/take`;
        assert.equal((await call('national', path, { method: 'POST' })).status, 200);
      },
    },
    'POST /helpdesk/api/handoffs/:channelId/:conversationId/messages': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ text: 'Bonjour' }),
          }),
          `handoff:webchat/${conversations.liveApi}`,
          'api',
        );
      },
      async everywhere() {
        const response = await call(
          'national',
          `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/messages`,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ text: 'Bonjour, je suis là.' }),
          },
        );
        assert.equal(response.status, 202, await response.text());
      },
    },
    'GET /helpdesk/api/handoffs/:channelId/:conversationId/messages': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/messages`),
          `handoff:webchat/${conversations.liveApi}`,
          'api',
        );
      },
      async everywhere() {
        const messages = (await json(
          await call('national', `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/messages`),
        )) as Array<{ text: string }>;
        assert.ok(messages.some((m) => m.text === 'Bonjour, je suis là.'));
      },
    },
    'POST /helpdesk/api/handoffs/:channelId/:conversationId/end': {
      async outside() {
        await refused(
          await call('paris', `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/end`, {
            method: 'POST',
          }),
          `handoff:webchat/${conversations.liveApi}`,
          'api',
        );
      },
      async everywhere() {
        const path = `/helpdesk/api/handoffs/webchat/${conversations.liveApi}/end`;
        assert.equal((await call('national', path, { method: 'POST' })).status, 200);
      },
    },
    'POST /helpdesk/handoffs/take': {
      async outside() {
        const csrf = await csrfOf('paris', conversations.paris);
        await refused(
          await postForm('paris', '/helpdesk/handoffs/take', {
            channelId: 'webchat',
            conversationId: conversations.liveForm,
            csrf,
          }),
          `handoff:webchat/${conversations.liveForm}`,
          'page',
        );
      },
      async everywhere() {
        const csrf = await csrfOf('national', conversations.paris);
        const response = await postForm('national', '/helpdesk/handoffs/take', {
          channelId: 'webchat',
          conversationId: conversations.liveForm,
          csrf,
        });
        assert.equal(response.status, 303, await response.text());
        assert.equal(
          response.headers.get('location'),
          `/helpdesk/handoffs/webchat/${conversations.liveForm}`,
        );
      },
    },
    'POST /helpdesk/handoffs/reply': {
      async outside() {
        const csrf = await csrfOf('paris', conversations.paris);
        await refused(
          await postForm('paris', '/helpdesk/handoffs/reply', {
            channelId: 'webchat',
            conversationId: conversations.liveForm,
            text: 'Bonjour',
            csrf,
          }),
          `handoff:webchat/${conversations.liveForm}`,
          'page',
        );
      },
      async everywhere() {
        const csrf = await csrfOf('national', conversations.paris);
        const response = await postForm('national', '/helpdesk/handoffs/reply', {
          channelId: 'webchat',
          conversationId: conversations.liveForm,
          text: 'Je regarde votre dossier.',
          csrf,
        });
        assert.equal(response.status, 303, await response.text());
      },
    },
    'POST /helpdesk/handoffs/end': {
      async outside() {
        const csrf = await csrfOf('paris', conversations.paris);
        await refused(
          await postForm('paris', '/helpdesk/handoffs/end', {
            channelId: 'webchat',
            conversationId: conversations.liveForm,
            csrf,
          }),
          `handoff:webchat/${conversations.liveForm}`,
          'page',
        );
      },
      async everywhere() {
        const csrf = await csrfOf('national', conversations.paris);
        const response = await postForm('national', '/helpdesk/handoffs/end', {
          channelId: 'webchat',
          conversationId: conversations.liveForm,
          csrf,
        });
        assert.equal(response.status, 303, await response.text());
      },
    },
    // Unknown console paths: nothing to find, the same 404 for every agent.
    'GET /helpdesk/*': {
      async outside() {
        assert.equal((await call('paris', '/helpdesk/nulle-part')).status, 404);
      },
      async everywhere() {
        assert.equal((await call('national', '/helpdesk/nulle-part')).status, 404);
      },
    },
    'GET /helpdesk/api/*': {
      async outside() {
        assert.equal((await call('paris', '/helpdesk/api/nulle-part')).status, 404);
      },
      async everywhere() {
        assert.equal((await call('national', '/helpdesk/api/nulle-part')).status, 404);
      },
    },
  };

  it('has a case for every console route the app registers', () => {
    const server = bot.app.server as unknown as { router: { getRoutes(): Record<string, RouteSpec> } };
    const routes = Object.values(server.router.getRoutes())
      .map(({ spec }) => `${spec.method} ${spec.path}`)
      .filter((route) => / \/helpdesk(\/|$)/.test(route))
      .sort();
    assert.deepEqual(routes, Object.keys(CASES).sort());
  });

  describe('an agent of ac-paris.fr is refused, or finds nothing, outside its académie', () => {
    for (const [route, c] of Object.entries(CASES)) it(route, () => c.outside());
  });

  describe('an agent of every académie is served everywhere', () => {
    for (const [route, c] of Object.entries(CASES)) it(route, () => c.everywhere());
  });
});
