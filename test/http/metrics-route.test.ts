import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { conversationKeys } from '../../src/infra/redis/keys';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';

const TOKEN = randomBytes(24).toString('base64url');

/** The figures of one series in the Prometheus text (its value), or undefined. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

describe('GET /metrics (METRICS_TOKEN)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    // An agent, so that the live handoff (and its queue figure) is there.
    bot = await startBot({
      METRICS_TOKEN: TOKEN,
      HELPDESK_USERS: `agent:${await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash('Mot-de-passe-2014')}`,
    });
  });
  after(async () => bot?.close());

  const scrape = (authorization?: string) =>
    fetch(`${bot.url}/metrics`, authorization ? { headers: { Authorization: authorization } } : {});

  it('refuses whoever has not the token, in French, without a figure', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ', TOKEN]) {
      const response = await scrape(authorization);
      assert.equal(response.status, 401, String(authorization));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      const body = await response.text();
      assert.doesNotMatch(body, /ae_/);
      assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    }
  });

  it('counts turns, Redis round trips, lock waits and the outbox, in the Prometheus format', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    assert.match(textOf(await chat.say('aide')), /À tout moment/);
    await bot.conversation('cli').say('je voudrais parler à un conseiller');
    // A turn of another process holds the conversation for 200 ms: this one waits for it.
    const { lock } = conversationKeys(bot.redis.prefix, 'cli', chat.id);
    await bot.redis.redis.set(lock, 'another process', 'PX', 200);
    assert.ok(textOf(await chat.say('Quand a lieu le vote ?')));
    const response = await scrape(`Bearer ${TOKEN}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const text = await response.text();
    assert.ok((seriesValue(text, 'ae_turn_duration_seconds_count{outcome="answered"}') ?? 0) >= 3, text);
    assert.ok((seriesValue(text, 'ae_redis_round_trip_seconds_count{operation="turn begin"}') ?? 0) >= 3);
    assert.ok((seriesValue(text, 'ae_redis_round_trip_seconds_count{operation="turn end"}') ?? 0) >= 3);
    assert.ok((seriesValue(text, 'ae_lock_wait_seconds_count') ?? 0) >= 1, 'the second message waited');
    assert.equal(seriesValue(text, 'ae_outbox_backlog'), 0);
    assert.equal(
      seriesValue(text, 'ae_handoff_queue{status="waiting"}'),
      1,
      'the teacher who asked for a person',
    );
    assert.equal(seriesValue(text, 'ae_handoff_queue{status="taken"}'), 0);
    assert.match(text, /^# TYPE ae_redis_errors_total counter$/m);
    assert.match(text, /^# TYPE ae_mails_total counter$/m);
    assert.match(text, /^ae_nodejs_eventloop_lag_p99_seconds /m);
    assert.doesNotMatch(text, /conv-|Quand|aide/, 'no conversation nor text in a label');
  });
});

describe('without METRICS_TOKEN', function () {
  this.timeout(30_000);

  it('has no /metrics route', async () => {
    const bot = await startBot();
    try {
      const response = await fetch(`${bot.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 404);
      await response.text();
    } finally {
      await bot.close();
    }
  });
});
