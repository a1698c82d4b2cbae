import assert from 'node:assert/strict';
import { formatWaitFr } from '../../src/domain/limits/wait';
import { t } from '../../src/i18n';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import {
  createDialogHarness,
  IN_WINDOW,
  STRONG_PASSWORD,
  TEACHER_EMAIL,
  textOf,
  toPasswordStep,
} from '../support/dialog-harness';

const MINUTE = 60_000;

describe('ActivationDialog under the account budgets', () => {
  async function request(h: ReturnType<typeof createDialogHarness>, email: string): Promise<string> {
    await toPasswordStep(h, email);
    await h.say(STRONG_PASSWORD);
    return textOf(await h.say(STRONG_PASSWORD));
  }

  it('says in French when to retry for the address, ends the step, and lets the teacher go on', async () => {
    const h = createDialogHarness({ limiter: new MemoryRateLimiter() });
    for (let i = 0; i < 5; i += 1) assert.match(await request(h, TEACHER_EMAIL), /Un mail part/);
    const refused = await request(h, TEACHER_EMAIL);
    assert.equal(refused, t('bot.account.tooManyForAddress', { wait: formatWaitFr(12 * MINUTE) }));
    assert.match(refused, /Réessayez dans 12\u00a0minutes\./);
    assert.deepEqual(h.activeDialogs(), [], 'back at the menu, nothing lost');
    assert.match(textOf(await h.say('aide')), /Je peux vous aider/);
    // The time said is the time it takes.
    h.clock.set(new Date(new Date(IN_WINDOW).getTime() + 12 * MINUTE));
    assert.match(await request(h, TEACHER_EMAIL), /Un mail part/);
  });

  it('names the conversation when one chat asked for too many addresses', async () => {
    const h = createDialogHarness({ limiter: new MemoryRateLimiter() });
    for (const letter of 'abcdefghij')
      assert.match(await request(h, `jean.${letter}@ac-paris.fr`), /Un mail part/);
    const refused = await request(h, 'jean.k@ac-paris.fr');
    assert.equal(refused, t('bot.account.tooManyForConversation', { wait: formatWaitFr(6 * MINUTE) }));
  });
});
