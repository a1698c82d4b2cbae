import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'mocha';
import { loadConfig } from '../../src/config';
import { t } from '../../src/i18n';
import { buildApp } from '../../src/index';
import { createLogger } from '../../src/log';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';

const FIXTURES = path.resolve(__dirname, '../fixtures/teams');
/** The fixtures' tenant (see their README). */
const ALLOWED = '11111111-2222-4333-8444-555555555555';
const OTHER_ACADEMIE = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const FOREIGN = '99999999-8888-4777-8666-555555555555';
const WELCOME = /Bonjour, je suis l’Assistant électeur/;

type Activity = Record<string, unknown> & { conversation: Record<string, unknown> };

function fixture(prefix: string): Activity {
  const file = fs.readdirSync(FIXTURES).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no Teams fixture ${prefix}`);
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Activity;
}

describe('TEAMS_TENANTS over /api/messages (real Redis)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ TEAMS_TENANTS: `${ALLOWED}, ${OTHER_ACADEMIE}` });
  });
  after(async () => {
    await bot?.close();
  });

  /** A fixture in a conversation of its own, from `tenant` (both places Teams writes it). */
  function fromTenant(prefix: string, tenant: string): Activity {
    const activity = structuredClone(fixture(prefix));
    return {
      ...activity,
      id: String(Date.now() + Math.floor(Math.random() * 1e6)),
      serviceUrl: bot.connector.serviceUrl,
      deliveryMode: 'expectReplies',
      conversation: { ...activity.conversation, id: `a:tenant-${randomUUID()}`, tenantId: tenant },
      channelData: { tenant: { id: tenant } },
    };
  }

  async function post(activity: Activity): Promise<BotReply[]> {
    const response = await bot.post(activity);
    assert.equal(response.status, 200, await response.clone().text());
    const text = await response.text();
    return text ? ((JSON.parse(text) as { activities?: BotReply[] }).activities ?? []) : [];
  }

  /** Keys of this test's Redis prefix that mention the conversation (state, transcript, turn guard). */
  async function keysOf(conversationId: string): Promise<string[]> {
    return (await bot.redis.keys()).filter((k) => k.includes(conversationId));
  }

  it('refuses a foreign tenant in French and stores nothing: no state, no transcript, no key at all', async () => {
    const before = new Set(await bot.redis.keys());
    const message = fromTenant('03a', FOREIGN);
    const replies = await post(message);
    assert.deepEqual(
      replies.map((r) => r.text),
      [t('bot.teamsTenantRefused')],
    );
    assert.equal(replies[0]?.locale, 'fr-FR');
    const welcome = await post(fromTenant('02', FOREIGN));
    assert.deepEqual(
      welcome.map((r) => r.text),
      [t('bot.teamsTenantRefused')],
      'install: the refusal, no welcome',
    );
    assert.deepEqual(await post(fromTenant('07b', FOREIGN)), [], 'typing: nothing');
    // Transcripts are written after the turn: give them the time the allowed case below needs.
    await sleep(500);
    const conversationId = String(message.conversation.id);
    assert.deepEqual(await keysOf(conversationId), []);
    assert.deepEqual(await bot.app.transcripts.activities('msteams', conversationId), []);
    const added = (await bot.redis.keys()).filter((k) => !before.has(k));
    assert.deepEqual(added, [], 'no stats, no turn guard, no index either');
    assert.equal(bot.connector.posted.length, 0, 'nothing sent outside the HTTP answer');
  });

  it('refuses when channelData names a foreign tenant even if conversation.tenantId is allowed', async () => {
    const activity = fromTenant('03a', ALLOWED);
    const replies = await post({ ...activity, channelData: { tenant: { id: FOREIGN } } });
    assert.deepEqual(
      replies.map((r) => r.text),
      [t('bot.teamsTenantRefused')],
    );
    assert.deepEqual(await keysOf(String(activity.conversation.id)), []);
  });

  it('(control) serves every listed tenant: welcome, state and transcript are kept', async () => {
    for (const tenant of [ALLOWED, OTHER_ACADEMIE.toUpperCase()]) {
      const message = fromTenant('03a', tenant);
      const conversationId = String(message.conversation.id);
      assert.match(textOf(await post(message)), WELCOME, tenant);
      assert.ok(
        (await keysOf(conversationId)).some((k) => k.includes(':state:')),
        'the conversation state',
      );
      assert.ok(
        await eventually(
          async () => (await bot.app.transcripts.activities('msteams', conversationId)).length > 0,
          5_000,
        ),
        'the transcript',
      );
    }
  });

  it('leaves the other channels alone (Web Chat has no tenant)', async () => {
    const chat = bot.conversation('webchat');
    assert.match(textOf(await chat.say('Bonjour')), WELCOME);
  });
});

describe('TEAMS_TENANTS at start-up', () => {
  /** The app's start-up log lines with `env` (built, not started: the warnings come from buildApp). */
  async function startupLines(env: Record<string, string>): Promise<string[]> {
    const lines: string[] = [];
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-outbox-'));
    try {
      const app = buildApp(
        loadConfig({
          NODE_ENV: 'test',
          PORT: '0',
          MAIL_OUTBOX_DIR: outbox,
          SECRET_KEY: randomBytes(32).toString('hex'),
          ...env,
        }),
        createLogger('info', { write: (line: string) => lines.push(line) }),
      );
      await app.start();
      await app.stop();
    } finally {
      fs.rmSync(outbox, { recursive: true, force: true });
    }
    return lines.filter((line) => line.includes('TEAMS_TENANTS'));
  }
  const level = (line: string | undefined) => (JSON.parse(line ?? '{}') as { level?: number }).level;

  it('warns when absent and Teams can reach the bot (Bot Framework credentials set)', async () => {
    const lines = await startupLines({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' });
    assert.equal(lines.length, 1);
    assert.equal(level(lines[0]), 40, 'warn');
    assert.match(lines[0] ?? '', /tout tenant/);
  });

  it('only informs without credentials (Teams cannot reach an unauthenticated bot), and is silent when set', async () => {
    const lines = await startupLines({});
    assert.equal(level(lines[0]), 30, 'info');
    assert.deepEqual(
      await startupLines({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', TEAMS_TENANTS: ALLOWED }),
      [],
    );
  });
});
