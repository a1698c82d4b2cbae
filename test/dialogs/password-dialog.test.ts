import assert from 'node:assert/strict';
import path from 'node:path';
import sinon from 'sinon';
import { PASSWORD_CONFIRM_PROMPT, PASSWORD_PROMPT } from '../../dialogs/ids';
import { describeUnmet } from '../../dialogs/password-dialog';
import type { PasswordRule } from '../../src/domain/accounts/password-policy';
import { RULES } from '../../src/domain/limits/rules';
import { formatWaitFr } from '../../src/domain/limits/wait';
import { PASSWORD_CARD_ACTION } from '../../src/domain/turns/activity-names';
import { t } from '../../src/i18n';
import { loadCalendar } from '../../src/infra/files/calendar-file';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import {
  adaptiveCardOf,
  CALENDAR,
  createDialogHarness,
  type DialogHarness,
  type Reply,
  STRONG_PASSWORD,
  TEACHER_EMAIL,
  testHasher,
  textOf,
  toPasswordStep,
} from '../support/dialog-harness';

/** The leaflet's rules, as the 2014 file (no passwordPolicy) has them said. */
const RULES_2014 = 'au moins 8 caractères, dont une majuscule, une minuscule et un chiffre';
const weak = (problems: string) => t('bot.password.weak', { problems, rules: RULES_2014 });

/** The example election of 2022: 12 characters and a special one (calendars/elections-2022-example.json). */
const CALENDAR_2022 = loadCalendar(
  path.resolve(__dirname, '..', '..', 'calendars', 'elections-2022-example.json'),
);
const RULES_2022 =
  'au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (par exemple\u00a0!\u00a0? # ou @)';

/** Inside the 2022 account window. */
const IN_2022_WINDOW = '2022-11-21T09:00:00+01:00';

async function atPassword(channelId = 'test', calendar = CALENDAR): Promise<DialogHarness> {
  const h = createDialogHarness({
    channelId,
    calendar,
    ...(calendar === CALENDAR ? {} : { now: IN_2022_WINDOW }),
  });
  await toPasswordStep(h);
  return h;
}

/**
 * Sends one turn and checks that neither the replies nor the stored state hold any of the secrets. The
 * state also holds random ids and hashes, so it is only searched for secrets long enough (8 characters
 * and more) never to occur there by chance.
 */
async function turn(
  h: DialogHarness,
  secrets: readonly string[],
  send: () => Promise<Reply[]>,
): Promise<Reply[]> {
  const replies = await send();
  const state = h.stateJson();
  const said = JSON.stringify(replies);
  for (const secret of secrets) {
    if (secret.length >= 8) assert.ok(!state.includes(secret), `the conversation state holds « ${secret} »`);
    assert.ok(!said.includes(secret), `a reply repeats « ${secret} »`);
  }
  return replies;
}

async function passwordVerifies(h: DialogHarness, password: string): Promise<boolean> {
  const hash = await h.store.passwordHash(TEACHER_EMAIL);
  return hash !== null && (await testHasher.verify(hash, password));
}

describe('PasswordDialog', () => {
  describe('describeUnmet', () => {
    for (const [unmet, text] of [
      [['digit'], 'il manque un chiffre'],
      [['uppercase', 'digit'], 'il manque une majuscule et un chiffre'],
      [['uppercase', 'lowercase', 'digit'], 'il manque une majuscule, une minuscule et un chiffre'],
      [['minLength'], 'il compte moins de 8 caractères'],
      [
        ['minLength', 'uppercase', 'digit'],
        'il compte moins de 8 caractères, il manque une majuscule et un chiffre',
      ],
      [['maxLength'], 'il dépasse 128 caractères'],
      [['maxLength', 'lowercase'], 'il dépasse 128 caractères, il manque une minuscule'],
      [[], ''],
    ] as Array<[PasswordRule[], string]>) {
      it(`[${unmet.join(', ')}] → « ${text} »`, () => {
        assert.equal(describeUnmet(unmet, CALENDAR.passwordPolicy), text);
      });
    }

    it('names the rules in a fixed order, whatever the order given', () => {
      assert.equal(
        describeUnmet(['digit', 'uppercase', 'minLength'], CALENDAR.passwordPolicy),
        describeUnmet(['minLength', 'uppercase', 'digit'], CALENDAR.passwordPolicy),
      );
    });
  });

  describe('asking', () => {
    it('states the rules first, then asks (plain masked question on a text channel)', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const replies = await toPasswordStep(h);
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('bot.password.intro', { rules: RULES_2014 }), t('bot.password.ask')],
      );
      assert.match(
        replies[0]?.text ?? '',
        /au moins 8 caractères, dont une majuscule, une minuscule et un chiffre\./,
      );
      assert.doesNotMatch(replies[0]?.text ?? '', /spécial/);
      assert.deepEqual(replies[1]?.channelData, { inputType: 'password' });
      assert.equal(adaptiveCardOf(replies), undefined);
    });

    it('offers the masked card on webchat', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const replies = await toPasswordStep(h);
      const card = adaptiveCardOf(replies);
      assert.equal(card?.version, '1.5');
      assert.equal(replies.at(-1)?.text, t('bot.password.askCard'));
    });
  });

  describe('the policy', () => {
    for (const [typed, problems] of [
      ['abc', 'il compte moins de 8 caractères, il manque une majuscule et un chiffre'],
      ['abcdefgh', 'il manque une majuscule et un chiffre'],
      ['ABCDEFGH1', 'il manque une minuscule'],
      ['Abcdefgh', 'il manque un chiffre'],
      ['Ab1', 'il compte moins de 8 caractères'],
      [`Ab1${'x'.repeat(126)}`, 'il dépasse 128 caractères'],
    ] as const) {
      it(`names every unmet rule in one message (${typed.length > 20 ? `${typed.length} caractères` : typed})`, async () => {
        const h = await atPassword();
        const replies = await turn(h, [typed], () => h.say(typed));
        assert.deepEqual(
          replies.map((r) => r.text),
          [weak(problems)],
        );
        assert.ok(h.activeDialogs().includes('passwordPrompt'), 'still waiting for a password');
      });
    }

    it('a refused password is followed by a good one without starting over', async () => {
      const h = await atPassword();
      const refused = await h.say('abc');
      // Still a password prompt: the Web Chat page keeps masking what is typed next.
      assert.deepEqual(refused[0]?.channelData, { inputType: 'password' });
      assert.equal(refused[0]?.inputHint, 'expectingInput');
      assert.equal(textOf(await h.say(STRONG_PASSWORD)), t('bot.password.confirmAsk'));
    });

    it('applies the policy to the card too', async () => {
      const h = await atPassword('webchat');
      const replies = await h.submit({
        action: PASSWORD_CARD_ACTION,
        password: 'abcdefgh',
        confirmation: 'abcdefgh',
      });
      assert.equal(textOf(replies), weak('il manque une majuscule et un chiffre'));
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
    });
  });

  describe('an election whose file asks 12 characters and a special one', () => {
    it('states those rules in the prompt and on the card', async () => {
      const h = createDialogHarness({ channelId: 'webchat', calendar: CALENDAR_2022, now: IN_2022_WINDOW });
      const replies = await toPasswordStep(h);
      assert.equal(replies[0]?.text, t('bot.password.intro', { rules: RULES_2022 }));
      assert.match(replies[0]?.text ?? '', /au moins 12 caractères, .*un caractère spécial \(par exemple/);
      const body = (adaptiveCardOf(replies)?.body ?? []) as Array<{ type: string; text?: string }>;
      assert.ok(
        body.some(
          (e) => e.type === 'TextBlock' && e.text === `Votre mot de passe doit compter ${RULES_2022}.`,
        ),
        JSON.stringify(body),
      );
    });

    it('refuses a password the 2014 rules took, naming what is missing', async () => {
      const h = await atPassword('test', CALENDAR_2022);
      const replies = await turn(h, ['Electeur22'], () => h.say('Electeur22'));
      assert.equal(
        textOf(replies),
        t('bot.password.weak', {
          problems:
            'il compte moins de 12 caractères, il manque un caractère spécial (par exemple\u00a0!\u00a0? # ou @)',
          rules: RULES_2022,
        }),
      );
      assert.ok(h.activeDialogs().includes('passwordPrompt'), 'still waiting for a password');
    });

    it('refuses it on the card too, and takes a good one there', async () => {
      const h = await atPassword('webchat', CALENDAR_2022);
      const refused = await h.submit({
        action: PASSWORD_CARD_ACTION,
        password: 'Electeur2022',
        confirmation: 'Electeur2022',
      });
      assert.match(textOf(refused), /il manque un caractère spécial/);
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      const good = 'Électeur-2022!';
      await h.submit({ action: PASSWORD_CARD_ACTION, password: good, confirmation: good });
      assert.equal(await passwordVerifies(h, good), true);
    });
  });

  describe('typed twice', () => {
    it('creates the account with that password (text channel)', async () => {
      const h = await atPassword('test');
      await h.say(STRONG_PASSWORD);
      assert.match(textOf(await h.say(STRONG_PASSWORD)), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
    });

    it('also works on webchat, without the card', async () => {
      const h = await atPassword('webchat');
      const confirm = await h.say(STRONG_PASSWORD);
      assert.equal(textOf(confirm), t('bot.password.confirmAsk'));
      assert.deepEqual(confirm[0]?.channelData, { inputType: 'password' });
      assert.match(textOf(await h.say(STRONG_PASSWORD)), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
    });

    it('a different second entry restarts the step, without the introduction', async () => {
      const h = await atPassword('test');
      await h.say(STRONG_PASSWORD);
      const replies = await h.say('Electeur2015');
      assert.deepEqual(
        replies.map((r) => r.text),
        [t('bot.password.mismatch'), t('bot.password.ask')],
      );
      assert.doesNotMatch(h.stateJson(), /firstHash/, 'the first entry is forgotten');
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      // The step starts over: the next two entries are a new choice.
      assert.equal(textOf(await h.say('Nouveau2014')), t('bot.password.confirmAsk'));
      assert.match(textOf(await h.say('Nouveau2014')), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, 'Nouveau2014'), true);
    });

    it('takes the same password written with composed or decomposed accents as one password', async () => {
      const h = await atPassword('test');
      const composed = 'Électeur2014'.normalize('NFC');
      const decomposed = composed.normalize('NFD');
      assert.notEqual(composed, decomposed);
      await h.say(composed);
      assert.match(textOf(await h.say(decomposed)), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, composed), true);
    });
  });

  describe('the card', () => {
    it('with both fields equal: creates the account at once', async () => {
      const h = await atPassword('webchat');
      const replies = await h.submit({
        action: PASSWORD_CARD_ACTION,
        password: STRONG_PASSWORD,
        confirmation: STRONG_PASSWORD,
      });
      assert.match(textOf(replies), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
    });

    it('with two different fields: says so and shows the card again', async () => {
      const h = await atPassword('webchat');
      const replies = await h.submit({
        action: PASSWORD_CARD_ACTION,
        password: STRONG_PASSWORD,
        confirmation: 'Electeur2015',
      });
      assert.equal(replies[0]?.text, t('bot.password.mismatch'));
      assert.equal(adaptiveCardOf(replies)?.version, '1.5');
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
    });

    it('with the confirmation left empty: asks for it as a second entry', async () => {
      const h = await atPassword('webchat');
      const replies = await h.submit({
        action: PASSWORD_CARD_ACTION,
        password: STRONG_PASSWORD,
        confirmation: '',
      });
      assert.equal(textOf(replies), t('bot.password.confirmAsk'));
      assert.match(textOf(await h.say(STRONG_PASSWORD)), /^C’est presque terminé/);
    });
  });

  describe('the argon2 budget of the conversation (RULES.argon2PerConversation)', () => {
    const MINUTE = 60_000;
    const wait = t('bot.password.tooManyTries', { wait: formatWaitFr(MINUTE) });
    afterEach(() => sinon.restore());

    async function budgeted(channelId: string) {
      const limiter = new MemoryRateLimiter();
      const h = createDialogHarness({ channelId, argon2Limiter: limiter });
      await toPasswordStep(h);
      const consume = sinon.spy(limiter, 'consume');
      const hash = sinon.spy(testHasher, 'hash');
      const verify = sinon.spy(testHasher, 'verify');
      const later = (ms: number) => h.clock.set(new Date(h.clock.now().getTime() + ms));
      return { h, limiter, consume, argon2Calls: () => hash.callCount + verify.callCount, later };
    }

    it('typed: counts each hash and each verify, then asks to wait, hashing nothing, and keeps each step', async () => {
      const { h, consume, argon2Calls, later } = await budgeted('test');
      // Five attempts whose second entry differs: ten argon2 operations, the whole burst.
      for (let i = 0; i < 5; i += 1) {
        assert.equal(textOf(await h.say(STRONG_PASSWORD)), t('bot.password.confirmAsk'));
        assert.deepEqual(
          (await h.say(`Autre${i}Mot2014`)).map((r) => r.text),
          [t('bot.password.mismatch'), t('bot.password.ask')],
        );
      }
      assert.equal(argon2Calls(), 10);
      assert.equal(consume.callCount, 10);
      assert.ok(consume.alwaysCalledWith(RULES.argon2PerConversation, 'test:conv-1', sinon.match.number));

      const refused = await turn(h, [STRONG_PASSWORD], () => h.say(STRONG_PASSWORD));
      assert.equal(textOf(refused), wait);
      assert.deepEqual(refused[0]?.channelData, { inputType: 'password' }, 'still a password prompt');
      assert.match(wait, /Patientez 1\u00a0minute,/);
      assert.equal(argon2Calls(), 10, 'nothing hashed over budget');
      assert.equal(h.activeDialogs().at(-1), PASSWORD_PROMPT, 'still at the first entry');

      // After the wait said, the same entry goes through; the second is the next operation, and waits too.
      later(MINUTE);
      assert.equal(textOf(await h.say(STRONG_PASSWORD)), t('bot.password.confirmAsk'));
      assert.equal(textOf(await h.say(STRONG_PASSWORD)), wait);
      assert.equal(h.activeDialogs().at(-1), PASSWORD_CONFIRM_PROMPT, 'the first entry is kept');
      assert.equal(await h.store.find(TEACHER_EMAIL), null);
      later(MINUTE);
      assert.match(textOf(await h.say(STRONG_PASSWORD)), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
    });

    it('the card: one operation when both fields match, none when they differ; over budget the card stays', async () => {
      const { h, limiter, consume, later } = await budgeted('webchat');
      const card = (confirmation: string) =>
        h.submit({ action: PASSWORD_CARD_ACTION, password: STRONG_PASSWORD, confirmation });
      assert.equal((await card('Electeur2015'))[0]?.text, t('bot.password.mismatch'));
      assert.equal(consume.callCount, 0, 'a mismatch is found without argon2');

      // The conversation already spent its budget (say, in earlier attempts).
      for (let i = 0; i < RULES.argon2PerConversation.burst; i += 1)
        await limiter.consume(RULES.argon2PerConversation, 'webchat:conv-1', h.clock.now().getTime());
      const refused = await turn(h, [STRONG_PASSWORD], () => card(STRONG_PASSWORD));
      assert.equal(textOf(refused), wait);
      assert.equal(await h.store.find(TEACHER_EMAIL), null, 'no account request, so no hash');
      assert.equal(h.activeDialogs().at(-1), PASSWORD_PROMPT, 'the card can be sent again');

      later(MINUTE);
      assert.match(textOf(await card(STRONG_PASSWORD)), /^C’est presque terminé/);
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
    });

    it('a password the policy refuses costs nothing', async () => {
      const { h, consume, argon2Calls } = await budgeted('test');
      for (let i = 0; i < 20; i += 1) await h.say('motdepasse');
      assert.equal(consume.callCount, 0);
      assert.equal(argon2Calls(), 0);
    });
  });

  describe('the clear password is never in the conversation state nor in a reply', () => {
    it('typed twice, after a refusal and a mismatch', async () => {
      const h = createDialogHarness({ channelId: 'test' });
      const secrets = ['motdepasse', STRONG_PASSWORD, 'Electeur2015', 'Nouveau2014'];
      await toPasswordStep(h);
      await turn(h, secrets, () => h.say('motdepasse'));
      await turn(h, secrets, () => h.say(STRONG_PASSWORD));
      // What is kept between the two entries is an argon2id hash: the inspection does see the state.
      assert.match(h.stateJson(), /\$argon2id\$/);
      await turn(h, secrets, () => h.say('Electeur2015'));
      await turn(h, secrets, () => h.say('Nouveau2014'));
      await turn(h, secrets, () => h.say('aide'));
      await turn(h, secrets, () => h.say('Nouveau2014'));
      assert.equal(await passwordVerifies(h, 'Nouveau2014'), true);
      assert.deepEqual(h.activeDialogs(), []);
    });

    it('through the card, and with a teacher who comes back mid-way', async () => {
      const h = createDialogHarness({ channelId: 'webchat' });
      const secrets = [STRONG_PASSWORD, 'Electeur2015'];
      await toPasswordStep(h);
      await turn(h, secrets, () =>
        h.submit({ action: PASSWORD_CARD_ACTION, password: STRONG_PASSWORD, confirmation: 'Electeur2015' }),
      );
      await turn(h, secrets, () =>
        h.submit({ action: PASSWORD_CARD_ACTION, password: STRONG_PASSWORD, confirmation: '' }),
      );
      await turn(h, secrets, () => h.join());
      await turn(h, secrets, () => h.say(STRONG_PASSWORD));
      assert.equal(await passwordVerifies(h, STRONG_PASSWORD), true);
      // The account store holds the hash only.
      assert.notEqual(await h.store.passwordHash(TEACHER_EMAIL), STRONG_PASSWORD);
    });
  });
});
