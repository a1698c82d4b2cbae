import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { conversationKeys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/log';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';

describe('TURN_TRACE_MS: slow turns logged with where they waited', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  const lines: string[] = [];

  before(async () => {
    const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
    bot = await startBot({ TURN_TRACE_MS: '50' }, { logger });
  });
  after(async () => bot?.close());

  const traces = () =>
    lines
      .map((line) => JSON.parse(line) as { msg: string; turnTrace?: Record<string, number | string> })
      .filter((record) => record.msg === 'slow turn')
      .map((record) => record.turnTrace ?? {});

  it('logs a turn that waited for a lock, with its phases and nothing the teacher wrote', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    assert.deepEqual(traces(), [], 'a fast turn is not logged');
    // Another process holds the conversation for 150 ms.
    await bot.redis.redis.set(conversationKeys(bot.redis.prefix, 'cli', chat.id).lock, 'other', 'PX', 150);
    assert.match(textOf(await chat.say('Quand a lieu le vote ?')), /vote/);
    const [trace] = traces();
    assert.ok(trace, lines.join('\n'));
    assert.equal(trace.outcome, 'answered');
    assert.ok(Number(trace.totalMs) >= 100, JSON.stringify(trace));
    assert.ok(Number(trace.lockWait) >= 100, 'the wait is the lock’s');
    for (const phase of ['request', 'parse', 'begin', 'bot', 'end', 'reply', 'gcMs', 'loopBlockedMs'])
      assert.equal(typeof trace[phase], 'number', phase);
    assert.ok(Number(trace.begin) >= Number(trace.lockWait), 'the first round trip includes the wait');
    assert.equal(typeof trace.activityId, 'string');
    assert.doesNotMatch(lines.join('\n'), /Quand a lieu|conv-/);
  });
});
