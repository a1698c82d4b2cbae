import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { t } from '../../src/i18n';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { SENT } from '../support/walk';

const PASSWORD = 'Electeur2014';
const MINUTE = 60_000;

/**
 * RULES.argon2PerConversation end to end: /api/messages, the real Redis limiter, the real argon2 hasher.
 * The app's clock is CLOCK_NOW shifted by the real time: moving Date moves it.
 */
describe('argon2 budget at the chat password prompt (real HTTP and Redis)', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  let clock: sinon.SinonFakeTimers | undefined;

  before(async () => {
    bot = await startBot();
  });
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  after(async () => bot.close());

  it('asks to wait once ten entries were hashed or verified, then lets the teacher finish', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    await chat.say('1');
    await chat.say('oui');
    await chat.say('irene.joliot@ac-paris.fr');
    assert.match(textOf(await chat.say('oui')), /Écrivez votre mot de passe électeur/);
    for (let i = 0; i < 5; i += 1) {
      assert.match(textOf(await chat.say(PASSWORD)), /seconde fois/);
      assert.match(textOf(await chat.say(`Autre${i}Mot2014`)), /différents/);
    }
    const waitOneMinute = t('bot.password.tooManyTries', { wait: '1\u00a0minute' });
    assert.equal(textOf(await chat.say(PASSWORD)), waitOneMinute);
    const keys = await bot.redis.keys();
    const budgetKey = keys.find((k) => k.startsWith(`${bot.redis.prefix}rl:pw-hash-conv:`));
    assert.ok(budgetKey, 'the budget lives in Redis');
    const ttl = await bot.redis.redis.pttl(budgetKey);
    assert.ok(ttl > 0 && ttl <= 10 * MINUTE, `the budget key expires (${ttl} ms)`);
    assert.equal(textOf(await chat.say(PASSWORD)), waitOneMinute, 'still refused before the wait is over');

    clock = sinon.useFakeTimers({ now: Date.now() + MINUTE, toFake: ['Date'], shouldAdvanceTime: true });
    assert.match(textOf(await chat.say(PASSWORD)), /seconde fois/, 'the same step, after the wait');
    clock.tick(MINUTE);
    assert.match(textOf(await chat.say(PASSWORD)), SENT);
  });
});
