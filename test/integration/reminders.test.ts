import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { conversationTag } from '../../src/domain/accounts/requests';
import type { ReminderKind } from '../../src/domain/reminders/ports';
import type { App } from '../../src/index';
import { RedisReminderStore } from '../../src/infra/redis/reminder-store';
import { type BotHarness, confirmByLink, linkIn, startBot, textOf } from '../support/bot-harness';
import { frenchDate, requestAccount, SENT } from '../support/walk';

const PASSWORD = 'Electeur2014';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The demo instant of the harness (CLOCK_NOW): the account window is open, the vote opens in a week. */
const DEMO = Date.parse('2014-11-20T09:00:00+01:00');
const VOTE_OPENS = Date.parse('2014-11-27T10:00:00+01:00');
const VOTE_CLOSES = Date.parse('2014-12-04T17:00:00+01:00');

/**
 * The application clock moved by the test (CLOCK_NOW, then wherever the test sends it), running on at
 * real speed: the app's one clock object, stubbed, so that everything reading "now" moves together.
 */
function travel(app: App) {
  const original = app.clock.now;
  const real = () => original.call(app.clock).getTime();
  let offset = 0;
  const stub = sinon.stub(app.clock, 'now').callsFake(() => new Date(real() + offset));
  return {
    to(at: number) {
      offset = at - real();
    },
    by(ms: number) {
      offset += ms;
    },
    now: () => real() + offset,
    restore: () => stub.restore(),
  };
}

type Chat = ReturnType<BotHarness['conversation']>;

function refOf(chat: Chat) {
  return { channelId: 'webchat', conversation: { id: chat.id } };
}

function postsTo(bot: BotHarness, chat: { id: string }) {
  return bot.connector.posted.filter((p) => p.conversationId === chat.id);
}

async function scheduledKinds(bot: BotHarness, chat: Chat): Promise<ReminderKind[]> {
  return (await bot.app.reminders.scheduled(refOf(chat))).map((r) => r.kind).sort();
}

describe('reminders through /api/messages (real Redis, real SMTP, fake channel)', function () {
  this.timeout(60_000);

  describe('an account still unconfirmed (REMINDER_UNCONFIRMED_AFTER=PT24H)', () => {
    let bot: BotHarness;
    let clock: ReturnType<typeof travel>;
    before(async () => {
      bot = await startBot();
      // Ticked by the test, not by the loop: each tick is one poll of the worker.
      await bot.app.reminderWorker.stop();
      clock = travel(bot.app);
    });
    after(async () => {
      clock.restore();
      await bot.close();
    });

    it('says it once, in the conversation and by mail, after 24 hours on the application clock', async () => {
      const chat = bot.conversation('webchat');
      assert.match(await requestAccount(chat, 'jeanne.rappel@ac-paris.fr', PASSWORD), SENT);
      await bot.smtp.waitForMessages(1);
      assert.deepEqual(await scheduledKinds(bot, chat), ['unconfirmed']);
      const [scheduled] = await bot.app.reminders.scheduled(refOf(chat));
      assert.ok(scheduled);
      assert.ok(Math.abs(scheduled.dueAt - (DEMO + 24 * HOUR)) < 5 * MINUTE, 'due 24 h after the request');
      assert.equal(scheduled.email, 'jeanne.rappel@ac-paris.fr');
      // The compact reference only: no display names kept.
      assert.equal(JSON.stringify(scheduled.conversation).includes('Jeanne Martin'), false);

      // 23 hours later: nothing yet.
      clock.to(DEMO + 23 * HOUR);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      assert.equal(postsTo(bot, chat).length, 0);

      // Past 24 hours: one proactive message, with the link's expiry and what to do without the mail.
      clock.to(DEMO + 24 * HOUR + 5 * MINUTE);
      assert.equal(await bot.app.reminderWorker.tick(), 1);
      const posts = postsTo(bot, chat);
      assert.equal(posts.length, 1);
      const said = posts[0]?.activity.text ?? '';
      assert.match(said, /pas encore confirmé/);
      assert.match(said, frenchDate('samedi 22 novembre 2014 à 9 h (heure de Paris)'));
      assert.match(said, /Courriers indésirables/);
      assert.match(said, /je n’ai toujours rien reçu/);

      // And one reminder mail, without a link: when the first mail left, until when it works, what to do.
      const mails = await bot.smtp.waitForMessages(2);
      const reminder = mails[1];
      assert.ok(reminder);
      assert.deepEqual(reminder.to, ['jeanne.rappel@ac-paris.fr']);
      assert.match(reminder.subject, /attend sa confirmation/);
      assert.match(reminder.text, frenchDate('jeudi 20 novembre 2014 à 9 h (heure de Paris)'));
      assert.match(reminder.text, frenchDate('samedi 22 novembre 2014 à 9 h (heure de Paris)'));
      assert.match(reminder.text, /Courriers indésirables/);
      assert.match(reminder.text, /quota/);
      assert.match(reminder.text, /renvoyer le mail/);
      assert.doesNotMatch(reminder.text, /jeton=/);
      assert.match(reminder.html, /<html lang="fr">/);

      // In the transcript, like any message of the bot.
      const lines = await bot.app.transcripts.activities('webchat', chat.id);
      const fromBot = lines.filter((l) => (l.from as { role?: string } | undefined)?.role === 'bot');
      assert.equal(fromBot.filter((l) => /pas encore confirmé/.test(String(l.text))).length, 1);

      // Never twice: later polls say nothing more.
      clock.by(2 * HOUR);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      assert.equal(postsTo(bot, chat).length, 1);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(bot.smtp.messages.filter((m) => m.to.includes('jeanne.rappel@ac-paris.fr')).length, 2);
    });

    it('says nothing when the account was confirmed before, and offers the vote reminder instead', async () => {
      clock.to(DEMO + 2 * HOUR);
      const chat = bot.conversation('webchat');
      const address = 'paul.confirme@ac-paris.fr';
      assert.match(await requestAccount(chat, address, PASSWORD), SENT);
      const mail = await waitForMail(bot, address);
      assert.equal((await confirmByLink(linkIn(mail.text), PASSWORD)).status, 200);
      const confirmed = await bot.connector.waitFor((p) => p.conversationId === chat.id);
      assert.match(confirmed.activity.text ?? '', /Votre compte électeur est confirmé/);
      const offer = (confirmed.activity.suggestedActions as { actions: Array<{ title: string }> } | undefined)
        ?.actions;
      assert.deepEqual(
        offer?.map((a) => a.title),
        ['Me prévenir à l’ouverture du vote'],
      );
      // Cancelled with the confirmation.
      assert.deepEqual(await scheduledKinds(bot, chat), []);

      clock.by(30 * HOUR);
      await bot.app.reminderWorker.tick();
      assert.equal(postsTo(bot, chat).length, 1, 'only the confirmation');
      assert.equal(bot.smtp.messages.filter((m) => m.to.includes(address)).length, 1);

      // The offer, taken: the vote reminders are scheduled.
      const taken = textOf(await chat.say('Me prévenir à l’ouverture du vote'));
      assert.match(taken, frenchDate('jeudi 27 novembre 2014 à 10 h (heure de Paris)'));
      assert.deepEqual(await scheduledKinds(bot, chat), ['voteClosing', 'voteOpens']);
    });

    it('skips the reminder of an account confirmed from another conversation meanwhile', async () => {
      clock.to(DEMO + 3 * HOUR);
      const first = bot.conversation('webchat');
      const second = bot.conversation('webchat');
      const address = 'lea.deux@ac-paris.fr';
      assert.match(await requestAccount(first, address, PASSWORD), SENT);
      await waitForMail(bot, address);
      assert.match(await requestAccount(second, address, 'Autre2014x'), SENT);
      const mails = await waitForMails(bot, address, 2);
      // The second conversation's link confirms: the first's reminder has nothing left to say.
      assert.equal((await confirmByLink(linkIn(mails[1]?.text ?? ''), 'Autre2014x')).status, 200);
      await bot.connector.waitFor((p) => p.conversationId === second.id);
      assert.deepEqual(await scheduledKinds(bot, first), ['unconfirmed']);
      clock.by(25 * HOUR);
      await bot.app.reminderWorker.tick();
      assert.equal(postsTo(bot, first).length, 0);
      assert.deepEqual(await scheduledKinds(bot, first), [], 'claimed and forgotten');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(bot.smtp.messages.filter((m) => m.to.includes(address)).length, 2, 'no reminder mail');
    });
  });

  describe('the vote, on request', () => {
    let bot: BotHarness;
    let clock: ReturnType<typeof travel>;
    before(async () => {
      bot = await startBot();
      await bot.app.reminderWorker.stop();
      clock = travel(bot.app);
    });
    after(async () => {
      clock.restore();
      await bot.close();
    });

    it('tells the opening, then « j’ai voté » cancels the closing reminder', async () => {
      clock.to(DEMO);
      const chat = bot.conversation('webchat');
      await chat.join();
      const asked = textOf(await chat.say('Prévenez-moi quand le vote ouvre'));
      assert.match(asked, /C’est noté/);
      assert.match(asked, frenchDate('jeudi 27 novembre 2014 à 10 h (heure de Paris)'));
      assert.match(asked, frenchDate('jeudi 4 décembre 2014 à 11 h (heure de Paris)'));
      assert.deepEqual(await scheduledKinds(bot, chat), ['voteClosing', 'voteOpens']);

      clock.to(VOTE_OPENS - MINUTE);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      clock.to(VOTE_OPENS + MINUTE);
      assert.equal(await bot.app.reminderWorker.tick(), 1);
      const [opened] = postsTo(bot, chat);
      assert.match(opened?.activity.text ?? '', /Le vote est ouvert/);
      assert.match(opened?.activity.text ?? '', frenchDate('jeudi 4 décembre 2014 à 17 h (heure de Paris)'));
      assert.match(opened?.activity.text ?? '', /https:\/\/vote2014\.education\.gouv\.fr\//);

      const voted = textOf(await chat.say("j'ai voté"));
      assert.match(voted, /pas de rappel avant la clôture/);
      assert.deepEqual(await scheduledKinds(bot, chat), []);
      clock.to(VOTE_CLOSES - 2 * HOUR);
      await bot.app.reminderWorker.tick();
      assert.equal(postsTo(bot, chat).length, 1);
    });

    it('tells the last hours, and « stop » cancels every reminder', async () => {
      clock.to(DEMO);
      const told = bot.conversation('webchat');
      const stopped = bot.conversation('webchat');
      for (const chat of [told, stopped]) {
        await chat.join();
        await chat.say('Rappelez-moi de voter');
      }
      const stop = textOf(await stopped.say('stop'));
      assert.match(stop, /je ne vous enverrai plus de rappels/);
      assert.deepEqual(await scheduledKinds(bot, stopped), []);
      assert.match(textOf(await stopped.say('plus de rappels')), /Aucun rappel n’était prévu/);

      clock.to(VOTE_CLOSES - 6 * HOUR + MINUTE);
      // The opening first (late, it is still said), then the last hours at the next poll.
      await bot.app.reminderWorker.tick();
      const said = postsTo(bot, told).map((p) => p.activity.text ?? '');
      assert.equal(said.length, 2);
      assert.match(said[1] ?? '', /Dernières heures pour voter/);
      assert.equal(postsTo(bot, stopped).length, 0);
    });

    it('does not disturb the step in progress', async () => {
      clock.to(DEMO);
      const chat = bot.conversation('webchat');
      await chat.join();
      await chat.say('envoyez-moi un rappel');
      assert.match(textOf(await chat.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
      assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
      // Asked at the address prompt: answered, and the prompt asked again.
      const again = textOf(await chat.say('prévenez-moi quand le vote ouvre'));
      assert.match(again, /C’est noté/);
      assert.match(again, /adresse de messagerie professionnelle/);
      clock.to(VOTE_OPENS + MINUTE);
      assert.equal(await bot.app.reminderWorker.tick(), 1);
      assert.equal(postsTo(bot, chat).length, 1);
      // The address prompt still waits.
      assert.match(textOf(await chat.say('marie.curie@ac-paris.fr')), /Est-ce bien votre adresse/);
    });

    it('once the vote is open, schedules only the closing reminder; closed, none', async () => {
      clock.to(VOTE_OPENS + HOUR);
      const chat = bot.conversation('webchat');
      await chat.join();
      const open = textOf(await chat.say('prévenez-moi pour le vote'));
      assert.match(open, /déjà ouvert/);
      assert.deepEqual(await scheduledKinds(bot, chat), ['voteClosing']);
      clock.to(VOTE_CLOSES + HOUR);
      const late = bot.conversation('webchat');
      await late.join();
      assert.match(textOf(await late.say('prévenez-moi pour le vote')), /clos depuis/);
      assert.deepEqual(await scheduledKinds(bot, late), []);
    });
  });

  describe('delivery limits and failures', () => {
    let bot: BotHarness;
    let clock: ReturnType<typeof travel>;
    let store: RedisReminderStore;
    before(async () => {
      bot = await startBot();
      await bot.app.reminderWorker.stop();
      clock = travel(bot.app);
      clock.to(VOTE_OPENS + MINUTE);
      store = new RedisReminderStore(bot.redis.redis, { prefix: bot.redis.prefix });
    });
    afterEach(() => {
      bot.connector.faults.length = 0;
    });
    after(async () => {
      clock.restore();
      await bot.close();
    });

    /** A voteOpens reminder due now in the conversation (as if asked earlier). */
    async function due(chat: Chat) {
      const conversation = {
        channelId: 'webchat',
        serviceUrl: bot.connector.serviceUrl,
        conversation: { id: chat.id },
        user: { id: chat.user.id },
        bot: { id: 'assistant-electeur' },
        locale: 'fr-FR',
      };
      const tag = conversationTag(conversation) ?? '';
      await store.schedule(
        {
          id: `${tag}:voteOpens`,
          kind: 'voteOpens',
          conversationTag: tag,
          conversation,
          dueAt: clock.now(),
          until: VOTE_CLOSES,
        },
        clock.now(),
      );
      return tag;
    }

    it('says at most 3 reminders a day in one conversation (RULES.remindersPerConversation)', async () => {
      const chat = bot.conversation('webchat');
      const other = bot.conversation('webchat');
      for (let i = 0; i < 3; i += 1) {
        await due(chat);
        assert.equal(await bot.app.reminderWorker.tick(), 1);
      }
      const tag = await due(chat);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      assert.equal(postsTo(bot, chat).length, 3);
      assert.deepEqual(await store.scheduled(tag), [], 'dropped, not postponed');
      // Another conversation has its own budget.
      await due(other);
      assert.equal(await bot.app.reminderWorker.tick(), 1);
      assert.equal(postsTo(bot, other).length, 1);
    });

    it('retries a delivery the channel refused (500), once it answers again', async () => {
      const chat = bot.conversation('webchat');
      bot.connector.faults.push('error500');
      const tag = await due(chat);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      const received = () => bot.connector.received.filter((p) => p.conversationId === chat.id).length;
      assert.equal(received(), 1);
      assert.equal(postsTo(bot, chat).length, 0);
      const [waiting] = await store.scheduled(tag);
      assert.ok(waiting, 'back in the queue');
      assert.equal(await bot.app.reminderWorker.tick(), 0, 'not before its retry time');
      clock.by(61_000);
      assert.equal(await bot.app.reminderWorker.tick(), 1);
      assert.equal(received(), 2);
      assert.equal(postsTo(bot, chat).length, 1);
      clock.by(HOUR);
      await bot.app.reminderWorker.tick();
      assert.equal(received(), 2);
    });

    it('never retries a delivery whose connection broke (it may have been said)', async () => {
      const chat = bot.conversation('webchat');
      bot.connector.faults.push('reset');
      const tag = await due(chat);
      assert.equal(await bot.app.reminderWorker.tick(), 0);
      const received = () => bot.connector.received.filter((p) => p.conversationId === chat.id).length;
      assert.equal(received(), 1);
      assert.deepEqual(await store.scheduled(tag), []);
      clock.by(HOUR);
      await bot.app.reminderWorker.tick();
      assert.equal(received(), 1);
      // The conversation goes on: its next turn is not stuck behind a lock.
      assert.match(textOf(await chat.say('bonjour')), /Assistant électeur|Bonjour/);
    });
  });
});

async function waitForMails(bot: BotHarness, address: string, n: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = bot.smtp.messages.filter((m) => m.to.includes(address));
    if (found.length >= n) return found;
    if (Date.now() > deadline) throw new Error(`${found.length} mail(s) to ${address}, expected ${n}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitForMail(bot: BotHarness, address: string) {
  const [mail] = await waitForMails(bot, address, 1);
  if (!mail) throw new Error('no mail');
  return mail;
}
