import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, textOf } from '../support/bot-harness';
import { type FaultBot, startFaultBot } from '../support/fault-bot';
import { roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { storeProblems } from '../support/store-invariants';
import { SENT } from '../support/walk';

const PASSWORD = 'Radium1898';

/**
 * A teacher who types twice before the first answer: both messages must be handled, one after the
 * other. BotState saves with eTag '*', so without the conversation lock the second turn would overwrite
 * the first one's progress.
 */
describe('fault: two messages of one conversation at the same time', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  let client: Redis;
  let crashes: unknown[];
  let fault: FaultBot;

  before(async () => {
    fault = await startFaultBot();
    ({ bot, client, crashes } = fault);
  });
  after(async () => fault?.close());

  it('handles both, one after the other: the password typed twice at once creates the account', async () => {
    const address = 'marie.curie@ac-paris.fr';
    const chat = roamingConversation(bot.connector.serviceUrl, 'cli');
    await chat.join(bot.url);
    await chat.say(bot.url, '1');
    await chat.say(bot.url, 'oui');
    assert.match(textOf(await chat.say(bot.url, address)), /Est-ce bien votre adresse/);
    assert.match(textOf(await chat.say(bot.url, 'oui')), /Écrivez votre mot de passe électeur/);

    // Whichever runs first is the password, the other its confirmation: the outcome does not depend on
    // the order, only on both turns seeing each other's progress.
    const [a, b] = await Promise.all([
      chat.post(bot.url, chat.activity({ type: 'message', text: PASSWORD })),
      chat.post(bot.url, chat.activity({ type: 'message', text: PASSWORD })),
    ]);
    assert.equal(a?.status, 200);
    assert.equal(b?.status, 200);
    const texts = [textOf(a?.replies ?? []), textOf(b?.replies ?? [])];
    assert.equal(texts.filter((text) => /seconde fois/.test(text)).length, 1, texts.join('\n---\n'));
    assert.equal(texts.filter((text) => SENT.test(text)).length, 1, texts.join('\n---\n'));

    await bot.smtp.waitForMessages(1, 10_000);
    assert.ok(
      await eventually(
        async () => (await storeProblems(client, bot.redis.prefix)).snapshot.queued === 0,
        10_000,
      ),
    );
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    assert.equal(snapshot.tokens.size, 1);
    assert.equal(bot.smtp.messages.filter((m) => m.to.includes(address)).length, 1);

    // The conversation carries on afterwards.
    assert.match(textOf(await chat.say(bot.url, 'aide')), /À tout moment/);
    assert.deepEqual(crashes, []);
  });

  it('answers every message of a burst sent without waiting, none refused nor lost', async () => {
    const chat = roamingConversation(bot.connector.serviceUrl, 'cli');
    await chat.join(bot.url);
    // Sent without waiting for answers; the lock is not a queue, so their order is not asserted.
    const steps = ['1', 'oui', 'julie.roux@ac-paris.fr', 'oui'];
    const pending = [];
    for (const text of steps) {
      pending.push(chat.post(bot.url, chat.activity({ type: 'message', text })));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deliveries = await Promise.all(pending);
    assert.deepEqual(
      deliveries.map((d) => d.status),
      [200, 200, 200, 200],
    );
    // Every message got an answer; none was lost nor answered as « indisponible ».
    for (const d of deliveries) assert.ok(d.replies.length > 0);
    const all = deliveries.map((d) => textOf(d.replies)).join('\n');
    assert.doesNotMatch(all, /momentanément indisponible/);
    // Whatever order the lock let them through, the conversation is in a sane, continuable state.
    const next = textOf(await chat.say(bot.url, 'aide'));
    assert.match(next, /À tout moment/);
    assert.deepEqual(crashes, []);
  });
});
