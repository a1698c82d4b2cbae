import assert from 'node:assert/strict';
import { type Activity, TestAdapter } from 'botbuilder';
import { describe, it } from 'mocha';
import { teamsTenantMiddleware } from '../../src/bot/middleware/teams-tenant';
import { t } from '../../src/i18n';
import { createLogger } from '../../src/log';

const ALLOWED = '11111111-2222-4333-8444-555555555555';
const FOREIGN = '99999999-8888-4777-8666-555555555555';

/** Runs one activity through the middleware; says whether the bot ran, what was replied and logged. */
async function run(allowed: readonly string[] | undefined, activity: Partial<Activity>) {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  let reached = false;
  const adapter = new TestAdapter(async () => {
    reached = true;
  }).use(teamsTenantMiddleware(allowed, logger));
  await adapter.processActivity({ type: 'message', text: 'Bonjour', channelId: 'msteams', ...activity });
  return { reached, replies: adapter.activeQueue.map((a) => a.text), lines };
}

const teams = (tenant: string | undefined, other: Partial<Activity> = {}): Partial<Activity> => ({
  conversation: { id: 'a:1', tenantId: tenant } as Activity['conversation'],
  channelData: tenant ? { tenant: { id: tenant } } : {},
  ...other,
});

describe('teamsTenantMiddleware (TEAMS_TENANTS)', () => {
  it('lets an allowed tenant through, whatever the case of its id', async () => {
    for (const id of [ALLOWED, ALLOWED.toUpperCase()]) {
      const { reached, replies } = await run([ALLOWED], teams(id));
      assert.ok(reached, id);
      assert.deepEqual(replies, []);
    }
  });

  it('stops a foreign tenant with a short French refusal, and logs the tenant (never the text)', async () => {
    const { reached, replies, lines } = await run([ALLOWED], teams(FOREIGN, { text: 'mon secret' }));
    assert.equal(reached, false, 'the bot never ran');
    assert.deepEqual(replies, [t('bot.teamsTenantRefused')]);
    assert.match(replies[0] ?? '', /réservé aux académies/);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', new RegExp(FOREIGN));
    assert.doesNotMatch(lines[0] ?? '', /mon secret/);
  });

  it('refuses when either place names a foreign tenant, or when none is named', async () => {
    const mixed = teams(ALLOWED, { channelData: { tenant: { id: FOREIGN } } });
    assert.equal((await run([ALLOWED], mixed)).reached, false, 'channelData.tenant.id foreign');
    const onlyChannelData = teams(undefined, { channelData: { tenant: { id: ALLOWED } } });
    assert.equal((await run([ALLOWED], onlyChannelData)).reached, true, 'channelData alone suffices');
    const none = await run([ALLOWED], teams(undefined));
    assert.equal(none.reached, false, 'no tenant at all');
    assert.deepEqual(none.replies, [t('bot.teamsTenantRefused')]);
  });

  it('answers only what the teacher sees: messages and installs, not typing, reactions or removals', async () => {
    const silent: Array<Partial<Activity>> = [
      { type: 'typing' },
      { type: 'messageReaction', reactionsAdded: [{ type: 'like' }] },
      { type: 'installationUpdate', action: 'remove' },
      { type: 'conversationUpdate', membersRemoved: [{ id: '29:x', name: 'x' }] },
    ];
    for (const activity of silent) {
      const { reached, replies } = await run([ALLOWED], teams(FOREIGN, activity));
      assert.equal(reached, false, activity.type);
      assert.deepEqual(replies, [], activity.type);
    }
    for (const activity of [
      { type: 'installationUpdate', action: 'add' },
      { type: 'conversationUpdate', membersAdded: [{ id: '29:x', name: 'x' }] },
    ]) {
      const { replies } = await run([ALLOWED], teams(FOREIGN, activity));
      assert.deepEqual(replies, [t('bot.teamsTenantRefused')], activity.type);
    }
  });

  it('leaves other channels alone, and every tenant through when TEAMS_TENANTS is absent', async () => {
    assert.ok((await run([ALLOWED], { channelId: 'webchat' })).reached, 'webchat has no tenant');
    assert.ok((await run([ALLOWED], teams(FOREIGN, { channelId: 'emulator' }))).reached);
    assert.ok((await run(undefined, teams(FOREIGN))).reached, 'no list: any tenant');
  });
});
