import assert from 'node:assert/strict';
import { type Activity, ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import { afterEach, describe, it } from 'mocha';
import sinon from 'sinon';
import { MainDialog } from '../../dialogs/main-dialog';
import { PASSWORD_LINK_PROMPT } from '../../dialogs/password-link-dialog';
import { ElecteurBot } from '../../src/bot/bot';
import { frenchLocaleMiddleware } from '../../src/bot/middleware/french-locale';
import { messageLimitsMiddleware } from '../../src/bot/middleware/message-limits';
import { numenGuardMiddleware } from '../../src/bot/middleware/numen-guard';
import { TranscriptMiddleware } from '../../src/bot/middleware/transcript';
import { PRODUCT_EVENT } from '../../src/bot/notifier';
import { PASSWORD_ENTRY_PATH, PasswordEntryService } from '../../src/domain/accounts/password-entry';
import type { RateLimiter } from '../../src/domain/limits/rate-limiter';
import { RULES } from '../../src/domain/limits/rules';
import { PASSWORD_ENTERED_EVENT } from '../../src/domain/turns/activity-names';
import { AppError } from '../../src/errors';
import { t } from '../../src/i18n';
import { MemoryPasswordEntryStore } from '../../src/infra/memory-password-entry-store';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import { MemoryTranscriptStore } from '../../src/infra/memory-transcript-store';
import { silentLogger } from '../../src/log';
import {
  CALENDAR,
  createDialogHarness,
  type Reply,
  STRONG_PASSWORD,
  TEACHER_EMAIL,
  testHasher,
  textOf,
  toPasswordStep,
} from '../support/dialog-harness';

const BASE = 'https://bot.example';
const LINK = new RegExp(`${BASE}${PASSWORD_ENTRY_PATH}/([A-Za-z0-9_-]{43})`);

/**
 * The dialog harness's domain objects (account service over the memory store, 2014 calendar, argon2),
 * with PASSWORD_ENTRY=link: the same MainDialog and ElecteurBot, plus the transcript middleware, and the
 * proactive continuation played as the event activity the bot receives.
 */
function linkHarness(channelId = 'test', limiter?: RateLimiter) {
  /** Shared with the base harness, so that its activeDialogs() and stateJson() read this bot's state. */
  const memory: Record<string, string> = {};
  const base = createDialogHarness({ channelId, memory });
  const entryStore = new MemoryPasswordEntryStore();
  const entries = new PasswordEntryService({
    store: entryStore,
    clock: base.clock,
    hasher: testHasher,
    calendar: CALENDAR,
    baseUrl: () => BASE,
    ...(limiter ? { limiter } : {}),
  });
  const bot = new ElecteurBot(
    new ConversationState(new MemoryStorage(memory)),
    new MainDialog({ ...base.deps, passwordEntry: entries }),
  );
  const transcripts = new MemoryTranscriptStore({ clock: base.clock, ttlDays: 90 });
  const transcriptLog = new TranscriptMiddleware({ writer: transcripts, logger: silentLogger() });
  // The page's event reaches the bot as a turn of this process (src/bot/notifier.ts marks those).
  const adapter = new TestAdapter(
    async (context) => {
      if (context.activity.type === 'event') context.turnState.set(PRODUCT_EVENT, true);
      await bot.run(context);
    },
    { channelId },
  );
  for (const m of [
    messageLimitsMiddleware(2000),
    numenGuardMiddleware(),
    frenchLocaleMiddleware(),
    transcriptLog,
  ])
    adapter.use(m);
  const user = { id: 'user-1', name: 'Jeanne Martin' };
  const recipient = { id: 'assistant-electeur', name: 'Assistant électeur' };
  const send = async (activity: Partial<Activity>): Promise<Reply[]> => {
    adapter.activeQueue.splice(0);
    await adapter.processActivity({
      type: 'message',
      locale: 'fr-FR',
      from: user,
      recipient,
      conversation: { id: 'conv-1', name: '', isGroup: false, conversationType: 'personal' },
      ...activity,
    });
    return adapter.activeQueue.splice(0);
  };
  const h = { ...base, say: (text: string) => send({ type: 'message', text }), send };
  return {
    h,
    entries,
    memory,
    /** The page was submitted: what the notifier's continuation makes the bot run. */
    entered: (entryId: string) => send({ type: 'event', name: PASSWORD_ENTERED_EVENT, value: { entryId } }),
    transcript: async () => {
      await transcriptLog.drain();
      return JSON.stringify((await transcripts.getTranscriptActivities(channelId, 'conv-1')).items);
    },
    transcripts,
    adapter,
  };
}

function linkIn(replies: readonly Reply[]): { url: string; token: string } {
  const all = JSON.stringify(replies);
  const match = LINK.exec(all);
  if (!match?.[1]) throw new Error(`no password link in ${all}`);
  return { url: match[0], token: match[1] };
}

describe('PasswordLinkDialog (PASSWORD_ENTRY=link)', () => {
  afterEach(() => sinon.restore());

  it('sends the rules and a one-time link as plain text on a text channel, and asks for no password', async () => {
    const { h } = linkHarness('test');
    const replies = await toPasswordStep(h);
    assert.equal(
      replies.at(-2)?.text,
      t('password-entry.bot.intro', {
        rules: 'au moins 8 caractères, dont une majuscule, une minuscule et un chiffre',
      }),
    );
    const text = replies.at(-1)?.text ?? '';
    assert.match(text, LINK);
    // The deadline says which clock it is in, as every date of the assistant does.
    assert.match(text, /jusqu’au jeudi 20 novembre 2014 à 9\u00a0h\u00a030, heure de Paris\)/);
    assert.doesNotMatch(textOf(replies), /Écrivez votre mot de passe/);
  });

  it('sends an « open URL » button on Web Chat', async () => {
    const { h } = linkHarness('webchat');
    const replies = await toPasswordStep(h);
    const hero = replies.flatMap((r) => r.attachments ?? [])[0];
    assert.ok(hero);
    assert.equal(hero.contentType, 'application/vnd.microsoft.card.hero');
    const button = (hero.content as { buttons: Array<{ type: string; title: string; value: string }> })
      .buttons[0];
    assert.equal(button?.type, 'openUrl');
    assert.equal(button?.title, 'Choisir mon mot de passe');
    assert.match(button?.value ?? '', LINK);
    assert.doesNotMatch(replies.at(-1)?.text ?? '', LINK, 'the link is in the button only');
    // A password typed in the chat anyway is masked on the Web Chat page (issue 12): the page keys on this.
    assert.deepEqual(replies.at(-1)?.channelData, { inputType: 'password' });
    assert.match(
      replies.at(-1)?.text ?? '',
      /jusqu’au jeudi 20 novembre 2014 à 9\u00a0h\u00a030 \(heure de Paris\)\./,
    );
  });

  it('continues to the account and « mail envoyé » when the page was submitted', async () => {
    const { h, entries, memory } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    const saved = await entries.submit(token, STRONG_PASSWORD, STRONG_PASSWORD);
    assert.equal(saved.status, 'saved');
    if (saved.status !== 'saved') return;
    assert.equal((saved.conversation.conversation as { id: string }).id, 'conv-1');
    const replies = await h.send({
      type: 'event',
      name: PASSWORD_ENTERED_EVENT,
      value: { entryId: saved.id },
    });
    assert.match(textOf(replies), /^C’est presque terminé/);
    assert.match(textOf(replies), /jean\.dupont@ac-paris\.fr/);
    const phc = await h.store.passwordHash(TEACHER_EMAIL);
    assert.ok(phc && (await testHasher.verify(phc, STRONG_PASSWORD)));
    const state = JSON.stringify(memory);
    assert.ok(!state.includes(token), 'no token in the conversation state');
    assert.ok(
      !state.includes(STRONG_PASSWORD) && !state.includes('$argon2id$'),
      'no password, no hash in state',
    );
  });

  it('ignores an event of an older link, and says so when the link gave nothing', async () => {
    const { h, entered, entries } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    const other = await entries.open({ email: TEACHER_EMAIL, conversation: {} });
    assert.deepEqual(await entered(other.id), [], 'not the entry this step waits for');
    // The right entry, but nothing was submitted (or it was taken already): a new link is offered.
    const current = await entries.submit(token, STRONG_PASSWORD, STRONG_PASSWORD);
    assert.equal(current.status, 'saved');
    if (current.status !== 'saved') return;
    await entries.revoke(current.id);
    assert.equal(textOf(await entered(current.id)), t('password-entry.bot.noLonger'));
    assert.equal(await h.store.find(TEACHER_EMAIL), null);
  });

  it('a password typed in the chat is not used, not kept, and masked in the transcript', async () => {
    const { h, memory, transcript } = linkHarness('test');
    await toPasswordStep(h);
    const replies = await h.say(STRONG_PASSWORD);
    assert.equal(textOf(replies), t('password-entry.bot.notUsed'));
    assert.equal(await h.store.find(TEACHER_EMAIL), null);
    assert.ok(!JSON.stringify(memory).includes(STRONG_PASSWORD));
    const stored = await transcript();
    assert.match(stored, /\[masqué\]|masqu/, 'the transcript holds the masked message');
    assert.ok(!stored.includes(STRONG_PASSWORD), 'the password reached the transcript');
  });

  it('never lets the link’s token reach the transcript', async () => {
    const { h, transcript } = linkHarness('webchat');
    const { token } = linkIn(await toPasswordStep(h));
    const stored = await transcript();
    assert.match(stored, /Choisir mon mot de passe/, 'the transcript holds the reply');
    assert.ok(!stored.includes(token), 'the token reached the transcript');
  });

  it('« renvoyer » sends a new link and the old one stops working', async () => {
    const { h, entries } = linkHarness('test');
    const first = linkIn(await toPasswordStep(h));
    const again = await h.say('renvoyer');
    const second = linkIn(again);
    assert.notEqual(second.token, first.token);
    assert.equal(await entries.inspect(first.token), 'replaced');
    assert.equal(await entries.inspect(second.token), 'open');
  });

  it('« aide » and a question are answered, then the step is explained again with the resend offer', async () => {
    const { h } = linkHarness('webchat');
    await toPasswordStep(h);
    const help = await h.say('aide');
    assert.equal(help.at(-1)?.text, t('password-entry.bot.waiting'));
    assert.deepEqual(
      help.at(-1)?.suggestedActions?.actions.map((a) => [a.title, a.value]),
      [['Renvoyer le lien', 'renvoyer']],
    );
    const question = await h.say('c’est quand la date limite pour créer mon compte ?');
    assert.match(textOf(question), /4 décembre 2014/);
    assert.equal(question.at(-1)?.text, t('password-entry.bot.waiting'));
  });

  it('anything else re-explains; « annuler » leaves the step and the link stops working', async () => {
    const { h, entries } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    assert.equal((await h.say('je ne trouve pas la page')).at(-1)?.text, t('password-entry.bot.waiting'));
    assert.ok(h.activeDialogs().includes(PASSWORD_LINK_PROMPT), 'waiting at the password step');
    assert.match(textOf(await h.say('annuler')), /j’arrête ici/);
    assert.ok(!h.activeDialogs().includes(PASSWORD_LINK_PROMPT));
    assert.equal(await entries.inspect(token), 'replaced');
  });

  it('picks up a page submitted while the continuation could not reach the channel', async () => {
    const { h, entries } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    assert.equal((await entries.submit(token, STRONG_PASSWORD, STRONG_PASSWORD)).status, 'saved');
    assert.match(textOf(await h.say('alors')), /^C’est presque terminé/);
  });

  it('a turn that fails before the account exists leaves the page’s password for the next one', async () => {
    const { h, entries, entered } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    const saved = await entries.submit(token, STRONG_PASSWORD, STRONG_PASSWORD);
    assert.equal(saved.status, 'saved');
    if (saved.status !== 'saved') return;
    const request = sinon.stub(h.accounts, 'request').callThrough();
    request.onFirstCall().rejects(new AppError('STORE_UNAVAILABLE', 'simulated blip'));
    await entered(saved.id).catch(() => undefined);
    assert.equal(request.callCount, 1, 'the account request was tried');
    assert.equal(await h.store.find(TEACHER_EMAIL), null, 'no account yet');
    assert.match(textOf(await h.say('alors')), /^C’est presque terminé/, 'the next message goes on');
    const phc = await h.store.passwordHash(TEACHER_EMAIL);
    assert.ok(phc && (await testHasher.verify(phc, STRONG_PASSWORD)), 'with the page’s password');
    assert.equal(await entries.claim(saved.id), 'consumed', 'spent once the account was requested');
    assert.ok(!h.activeDialogs().includes(PASSWORD_LINK_PROMPT));
  });

  it('after an account made but not announced, the next message says so instead of waiting', async () => {
    const { h, entries, entered, adapter } = linkHarness('test');
    const { token } = linkIn(await toPasswordStep(h));
    const saved = await entries.submit(token, STRONG_PASSWORD, STRONG_PASSWORD);
    assert.equal(saved.status, 'saved');
    if (saved.status !== 'saved') return;
    const send = adapter.sendActivities.bind(adapter);
    const down = sinon.stub(adapter, 'sendActivities').callsFake(async (context, activities) => {
      if (activities.some((a) => a.text?.startsWith('C’est presque terminé')))
        throw new Error('channel down');
      return send(context, activities);
    });
    await entered(saved.id).catch(() => undefined);
    down.restore();
    assert.ok(await h.store.find(TEACHER_EMAIL), 'the account was requested');
    const replies = await h.say('alors');
    assert.equal(textOf(replies), t('password-entry.bot.alreadyUsed'));
    assert.ok(!h.activeDialogs().includes(PASSWORD_LINK_PROMPT), 'no longer waiting for a password');
  });

  for (const phrase of ['Renvoyer le lien', 'renvoyer le lien', 'renvoie le lien', 'un nouveau lien'])
    it(`« ${phrase} » typed at the link step sends a new link (not the « mail not received » answer)`, async () => {
      const { h, entries } = linkHarness('test');
      const { token } = linkIn(await toPasswordStep(h));
      const replies = await h.say(phrase);
      const fresh = linkIn(replies);
      assert.notEqual(fresh.token, token);
      assert.equal(await entries.inspect(token), 'replaced');
      assert.ok(h.activeDialogs().includes(PASSWORD_LINK_PROMPT));
    });

  it('in the chat mode, a phrase of several words at the password prompt still reaches the recogniser', async () => {
    const h = createDialogHarness({ channelId: 'test' });
    await toPasswordStep(h);
    const replies = await h.say('renvoyer le lien');
    assert.ok(!/au moins 8|majuscule/.test(textOf(replies)), 'not checked as a password');
    assert.ok(textOf(replies).length > 0);
    assert.ok(h.activeDialogs().includes('passwordPrompt'), 'still at the password prompt');
  });

  it('« renvoyer » in a loop is stopped: the wait is said and the last link keeps working', async () => {
    const { h, entries } = linkHarness('test', new MemoryRateLimiter());
    let { token } = linkIn(await toPasswordStep(h));
    for (let i = 1; i < RULES.passwordLinksPerConversation.burst; i++)
      ({ token } = linkIn(await h.say('renvoyer')));
    const refused = await h.say('renvoyer');
    assert.ok(!LINK.test(JSON.stringify(refused)), 'no new link');
    assert.match(textOf(refused), /beaucoup de liens en peu de temps\. Attendez \d+\sminutes?/);
    assert.equal(await entries.inspect(token), 'open', 'the last link still works');
    assert.ok(h.activeDialogs().includes(PASSWORD_LINK_PROMPT));
  });

  it('the chat mode is unchanged without the setting', async () => {
    const h = createDialogHarness({ channelId: 'test' });
    const replies = await toPasswordStep(h);
    assert.deepEqual(
      replies.map((r) => r.text),
      [
        t('bot.password.intro', {
          rules: 'au moins 8 caractères, dont une majuscule, une minuscule et un chiffre',
        }),
        t('bot.password.ask'),
      ],
    );
  });
});
