import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { ConversationSummary } from '../../../src/domain/transcripts/ports';
import { type TestRedis, testRedis } from '../../support/redis';
import { basic, type Console, FakeAccounts, InTestArchive, startConsole, testPhc } from './support';

const PASSWORD = 'Assistance-2014!';
const PROFILES: Record<string, readonly string[]> = {
  paris: ['ac-paris.fr'],
  creteil: ['ac-creteil.fr'],
};

/**
 * Conversations whose académie is known without an address (a Web Chat page or a Teams profile set for
 * one académie): the summary's `academie`, placed by the profiles' domains (injected). Real HTTP, audit
 * in real Redis; the summaries come from an in-test archive, as the Redis store does not keep an
 * académie yet.
 */
describe('helpdesk scope: conversations placed by their académie profile (real HTTP)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let app: Console;
  const archive = new InTestArchive();
  const conversation = (id: string, extra: Partial<ConversationSummary> & { academie?: string }) =>
    archive.add(
      {
        channelId: 'webchat',
        conversationId: id,
        created: '2014-11-20T08:00:00.000Z',
        lastActivity: '2014-11-20T08:01:00.000Z',
        ...extra,
      } as ConversationSummary,
      [
        {
          type: 'message',
          text: `bonjour ${id}`,
          timestamp: '2014-11-20T08:00:05.000Z',
          from: { role: 'user' },
        },
      ],
    );

  before(async () => {
    redis = await testRedis();
    conversation('page-paris', { academie: 'paris' });
    conversation('page-creteil', { academie: 'creteil' });
    conversation('page-inconnue', { academie: 'atlantide' });
    conversation('creteil-sur-paris', { academie: 'paris', email: 'claude.mixte@ac-creteil.fr' });
    const phc = await testPhc(PASSWORD);
    app = await startConsole(redis, {
      transcripts: archive,
      accounts: new FakeAccounts(),
      users: [
        { login: 'paris', phc, domains: ['ac-paris.fr'] },
        { login: 'national', phc },
      ],
      domainsOfAcademie: (id) => PROFILES[id] ?? [],
    });
  });
  after(async () => {
    await app?.close();
    await redis?.cleanup();
  });

  const as = (login: string) => ({ auth: basic(login, PASSWORD) });
  const found = async (login: string) =>
    (
      (await (await app.get('/helpdesk/api/conversations?day=2014-11-20', as(login))).json()) as Array<{
        conversationId: string;
      }>
    )
      .map((r) => r.conversationId)
      .sort();

  it('finds for a Paris agent the conversations of Paris’s page, with or without a Paris address', async () => {
    assert.deepEqual(await found('paris'), ['creteil-sur-paris', 'page-paris']);
    assert.deepEqual(await found('national'), [
      'creteil-sur-paris',
      'page-creteil',
      'page-inconnue',
      'page-paris',
    ]);
  });

  it('opens and exports Paris’s page conversations, refuses the others (403, audited)', async () => {
    for (const path of ['/helpdesk/transcripts/webchat/', '/helpdesk/api/transcripts/webchat/']) {
      assert.equal((await app.get(`${path}page-paris`, as('paris'))).status, 200, path);
      for (const id of ['page-creteil', 'page-inconnue']) {
        assert.equal((await app.get(`${path}${id}`, as('paris'))).status, 403, `${path}${id}`);
        assert.equal((await app.get(`${path}${id}`, as('national'))).status, 200, `${path}${id}`);
      }
    }
    const refusals = (await app.audit.recent(20)).filter((e) => e.action === 'scope.refused');
    assert.deepEqual(refusals.map((e) => [e.login, e.target, e.scope]).sort(), [
      ['paris', 'webchat/page-creteil', ['ac-paris.fr']],
      ['paris', 'webchat/page-creteil', ['ac-paris.fr']],
      ['paris', 'webchat/page-inconnue', ['ac-paris.fr']],
      ['paris', 'webchat/page-inconnue', ['ac-paris.fr']],
    ]);
  });

  it('still refuses the account actions of a Créteil address seen on Paris’s page: accounts go by address', async () => {
    const response = await app.get('/helpdesk/api/accounts/claude.mixte@ac-creteil.fr/resend', {
      ...as('paris'),
      method: 'POST',
    });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'OUT_OF_SCOPE');
  });
});
