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
  /** The whole request; the turn that creates the account comes from `from` (a group chat's member). */
  async function request(
    h: ReturnType<typeof createDialogHarness>,
    email: string,
    from = { id: 'user-1', name: 'Jeanne Martin' },
  ): Promise<string> {
    await toPasswordStep(h, email);
    await h.say(STRONG_PASSWORD);
    return textOf(await h.say(STRONG_PASSWORD, { from }));
  }

  it('says in French when to retry for the channel user, ends the step, and lets the teacher go on', async () => {
    const h = createDialogHarness({ limiter: new MemoryRateLimiter() });
    for (let i = 0; i < 5; i += 1) assert.match(await request(h, TEACHER_EMAIL), /Un mail part/);
    const refused = await request(h, TEACHER_EMAIL);
    assert.equal(refused, t('bot.account.tooManyForRequester', { wait: formatWaitFr(12 * MINUTE) }));
    assert.match(refused, /Réessayez dans 12\u00a0minutes\./);
    assert.deepEqual(h.activeDialogs(), [], 'back at the menu, nothing lost');
    assert.match(textOf(await h.say('aide')), /Je peux vous aider/);
    // The time said is the time it takes.
    h.clock.set(new Date(new Date(IN_WINDOW).getTime() + 12 * MINUTE));
    assert.match(await request(h, TEACHER_EMAIL), /Un mail part/);
  });

  it('names the conversation when one (group) chat asked for too many addresses', async () => {
    const h = createDialogHarness({ limiter: new MemoryRateLimiter() });
    for (const letter of 'abcdefghij')
      assert.match(
        await request(h, `jean.${letter}@ac-paris.fr`, { id: `user-${letter}`, name: letter }),
        /Un mail part/,
      );
    const refused = await request(h, 'jean.k@ac-paris.fr', { id: 'user-k', name: 'k' });
    assert.equal(refused, t('bot.account.tooManyForConversation', { wait: formatWaitFr(6 * MINUTE) }));
  });
});

describe('ActivationDialog when the address has too many pending requests', () => {
  it('says so in French, with the helpdesk as the way out, and ends the step', async () => {
    const h = createDialogHarness();
    // Five requests of other conversations, whose mails have not left yet.
    for (let i = 0; i < 5; i += 1)
      await h.accounts.request({
        email: TEACHER_EMAIL,
        password: STRONG_PASSWORD,
        conversation: { channelId: 'webchat', conversation: { id: `other-${i}` } },
      });
    await toPasswordStep(h);
    await h.say(STRONG_PASSWORD);
    const text = textOf(await h.say(STRONG_PASSWORD));
    assert.equal(text, t('bot.account.tooManyPending'));
    assert.match(text, /contactez l’assistance de votre académie/);
    assert.deepEqual(h.activeDialogs(), []);
  });
});
