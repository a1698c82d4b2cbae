import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { t } from '../../src/i18n';
import { confirmByLink, DEMO_NOW, linkIn, textOf } from '../support/bot-harness';
import { type BotProcess, CRASH_SIGNS, startBotProcess } from '../support/bot-process';
import { startFakeConnector } from '../support/fake-connector';
import { passwordCard, roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { startPrivateRedis } from '../support/redis-server';
import { startSmtpSink } from '../support/smtp-sink';
import { storeProblems } from '../support/store-invariants';
import { SENT, walkToPassword } from '../support/walk';

const PASSWORD = 'Electeur2014';
const PREFIX = 'fault:';
const UNAVAILABLE = t('bot.errors.storeUnavailable');

/** The dependencies a bot process needs, in the test process: private Redis, SMTP sink, channel. */
async function startDependencies() {
  const redis = await startPrivateRedis();
  const sink = await startSmtpSink();
  const connector = await startFakeConnector();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const processes: BotProcess[] = [];
  const epoch = Date.now();
  return {
    redis,
    sink,
    connector,
    client,
    processes,
    /**
     * A bot process. CLOCK_NOW fixes "now" when the process builds its app, so processes started at
     * different moments get one timeline (the demo instant plus the time since the dependencies started),
     * up to their start-up times; `aheadMs` sets one process's clock ahead of the others.
     */
    async bot(aheadMs = 0): Promise<BotProcess> {
      const now = new Date(Date.parse(DEMO_NOW) + (Date.now() - epoch) + aheadMs);
      const started = await startBotProcess({
        redisUrl: redis.url,
        smtpUrl: sink.url,
        env: { REDIS_PREFIX: PREFIX, CLOCK_NOW: now.toISOString() },
      });
      processes.push(started);
      return started;
    },
    mailsTo: (address: string) => sink.messages.filter((m) => m.to.includes(address)),
    /** Whatever a process wrote must show no crash nor unhandled error. */
    assertNoCrash() {
      for (const p of processes) {
        // Its start-up warning proves the output is captured at all.
        assert.match(p.output(), /CLOCK_NOW/, `process ${p.pid} output`);
        assert.doesNotMatch(p.output(), CRASH_SIGNS, `process ${p.pid} output`);
      }
    },
    async close() {
      try {
        await Promise.all(processes.map((p) => p.kill('SIGKILL')));
        client.disconnect();
        await connector.close();
        await sink.close();
      } finally {
        await redis.destroy();
      }
    },
  };
}

type Dependencies = Awaited<ReturnType<typeof startDependencies>>;

/**
 * `src/index.ts` in child processes (`node --import tsx`), as `npm run dev` runs it, sharing a private
 * redis-server, an SMTP sink and a fake channel connector with the test. Starting a process takes
 * seconds on a busy machine, so one set of processes serves the whole file: A and B run from the start
 * (B is killed first, then A), C and D are started only after A was killed.
 */
describe('fault: bot processes sharing one Redis, and kill -9', function () {
  this.timeout(120_000);
  let deps: Dependencies;
  let a: BotProcess;
  let b: BotProcess;
  let c: BotProcess;
  let d: BotProcess;

  before(async () => {
    deps = await startDependencies();
    [a, b] = await Promise.all([deps.bot(), deps.bot()]);
  });
  after(async () => {
    await deps?.close();
  });

  it('completes an activation whose turns alternate between them: one account, one mail', async () => {
    const address = 'helene.boucher@ac-paris.fr';
    const chat = roamingConversation(deps.connector.serviceUrl);
    let turn = 0;
    const next = () => [a.url, b.url][turn++ % 2] as string;

    assert.match(textOf(await chat.join(next())), /Assistant électeur/);
    assert.match(textOf(await chat.say(next(), 'Créer mon compte électeur')), /Avez-vous déjà activé/);
    assert.match(textOf(await chat.say(next(), 'oui')), /adresse de messagerie professionnelle/);
    assert.match(textOf(await chat.say(next(), address)), /Est-ce bien votre adresse/);
    assert.match(textOf(await chat.say(next(), 'oui')), /Retenez bien ce mot de passe/);
    assert.match(textOf(await chat.submit(next(), passwordCard(PASSWORD))), SENT);

    // Both workers poll the same outbox: the claim lease lets one of them send.
    await deps.sink.waitForMessages(1, 15_000);
    await sleep(3_000);
    assert.equal(deps.mailsTo(address).length, 1);
    const { problems, snapshot } = await storeProblems(deps.client, PREFIX);
    assert.deepEqual(problems, []);
    assert.deepEqual([...snapshot.accounts.keys()], [address]);
    assert.equal(snapshot.tokens.size, 1);
    assert.equal(snapshot.queued, 0);

    // The link (built by whichever process sent it) confirms on either; the teacher is told in the chat.
    const [mail] = deps.mailsTo(address);
    assert.ok(mail);
    const link = new URL(linkIn(mail.text));
    const page = await confirmByLink(`${next()}${link.pathname}${link.search}`, PASSWORD);
    assert.equal(page.status, 200);
    assert.match(page.html, /Votre compte électeur est confirmé/);
    const told = await deps.connector.waitFor((p) => p.conversationId === chat.id, 10_000);
    assert.match(told.activity.text ?? '', /Votre compte électeur est confirmé/);

    assert.match(textOf(await chat.say(next(), 'aide')), /À tout moment/);
    deps.assertNoCrash();
  });

  it('serialises two messages of one conversation arriving at once on both processes', async () => {
    const address = 'ines.lambert@ac-paris.fr';
    const chat = roamingConversation(deps.connector.serviceUrl, 'cli');
    await chat.join(a.url);
    await chat.say(b.url, '1');
    await chat.say(a.url, 'oui');
    await chat.say(b.url, address);
    assert.match(textOf(await chat.say(a.url, 'oui')), /Écrivez votre mot de passe électeur/);

    // The password and its confirmation, typed quickly, each reaching another instance.
    const deliveries = await Promise.all([
      chat.post(a.url, chat.activity({ type: 'message', text: 'Radium1898' })),
      chat.post(b.url, chat.activity({ type: 'message', text: 'Radium1898' })),
    ]);
    assert.deepEqual(
      deliveries.map((d) => d.status),
      [200, 200],
    );
    const texts = deliveries.map((d) => textOf(d.replies));
    assert.equal(texts.filter((text) => /seconde fois/.test(text)).length, 1, texts.join('\n---\n'));
    assert.equal(texts.filter((text) => SENT.test(text)).length, 1, texts.join('\n---\n'));

    assert.ok(await eventually(async () => deps.mailsTo(address).length > 0, 15_000), 'no mail');
    await sleep(3_000);
    assert.equal(deps.mailsTo(address).length, 1);
    const { problems, snapshot } = await storeProblems(deps.client, PREFIX);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    deps.assertNoCrash();
  });

  it('kill -9 with a mail waiting: another process sends it, exactly once', async () => {
    const address = 'karine.chevalier@ac-paris.fr';
    deps.sink.refuse(true);
    const chat = roamingConversation(deps.connector.serviceUrl);
    await chat.join(b.url);
    await chat.say(b.url, 'Créer mon compte électeur');
    await chat.say(b.url, 'oui');
    await chat.say(b.url, address);
    await chat.say(b.url, 'oui');
    assert.match(textOf(await chat.submit(b.url, passwordCard(PASSWORD))), SENT);
    const attempted = async () => {
      const { snapshot } = await storeProblems(deps.client, PREFIX);
      return [...snapshot.mails.values()].some((m) => m.mail.to === address && m.attempts >= 1);
    };
    // Killed once a failed attempt is recorded: a kill in the middle of a send would hide the mail for
    // its claim lease (5 minutes of application time), by design.
    assert.ok(await eventually(attempted, 15_000), 'no failed attempt recorded');

    await b.kill('SIGKILL');
    deps.sink.refuse(false);

    // Same SECRET_KEY: A unseals the token B sealed. A and B started together, so their clocks agree
    // (CLOCK_NOW): A sends at the retry time B scheduled.
    assert.ok(await eventually(async () => deps.mailsTo(address).length > 0, 20_000), 'never sent');
    await sleep(3_000);
    assert.equal(deps.mailsTo(address).length, 1);
    const { problems, snapshot } = await storeProblems(deps.client, PREFIX);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.queued, 0);
    assert.equal(snapshot.dead, 0);
    // And the teacher goes on talking to the survivor.
    assert.match(textOf(await chat.say(a.url, 'aide')), /À tout moment/);
    deps.assertNoCrash();
  });

  it('kill -9 mid-conversation: a new process continues at the step and completes the activation', async () => {
    const address = 'jules.fontaine@ac-paris.fr';
    const chat = roamingConversation(deps.connector.serviceUrl);
    await chat.join(a.url);
    await chat.say(a.url, 'Créer mon compte électeur');
    await chat.say(a.url, 'oui');
    assert.match(textOf(await chat.say(a.url, address)), /Est-ce bien votre adresse/);

    await a.kill('SIGKILL');
    assert.ok(a.exited);
    [c, d] = await Promise.all([deps.bot(), deps.bot()]);

    // The confirmation question was the step: « oui » answers it, in a process that never saw it.
    assert.match(textOf(await chat.say(c.url, 'oui')), /Retenez bien ce mot de passe/);
    assert.match(textOf(await chat.submit(c.url, passwordCard(PASSWORD))), SENT);
    assert.ok(await eventually(async () => deps.mailsTo(address).length > 0, 15_000), 'no mail');
    await sleep(3_000);
    assert.equal(deps.mailsTo(address).length, 1);
    const { problems, snapshot } = await storeProblems(deps.client, PREFIX);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    deps.assertNoCrash();
  });

  it('kill -9 in the middle of the account request: a retry on another process ends with one valid link', async () => {
    const address = 'laure.perrin@ac-paris.fr';
    const chat = roamingConversation(deps.connector.serviceUrl);
    await walkToPassword(chat.on(c.url), address);

    // C dies while it hashes the password, writes the account or saves the state: which is left to chance.
    const lost = chat
      .post(c.url, chat.activity({ type: 'message', value: passwordCard(PASSWORD) }))
      .catch(() => undefined);
    await sleep(40);
    await c.kill('SIGKILL');
    await lost;
    const finishedByC = (await storeProblems(deps.client, PREFIX)).snapshot.accounts.has(address);

    // The teacher sends the card again, to D, at once. The dead turn's lock is not renewed any more: it
    // frees the conversation within its lease (5 s), and the retry waits for it rather than failing.
    const text = textOf(await chat.submit(d.url, passwordCard(PASSWORD)));
    assert.notEqual(text, UNAVAILABLE, 'the retry waited for the dead turn, then gave up');
    // Unless C had finished the turn (account written, step saved) and only its answer was lost.
    if (!SENT.test(text)) assert.ok(finishedByC, `unexpected answer: ${text}`);

    const drained = (timeoutMs: number) =>
      eventually(async () => (await storeProblems(deps.client, PREFIX)).snapshot.queued === 0, timeoutMs);
    // D sends at once what its own request enqueued (the worker is kicked): a few seconds are plenty.
    if (!(await drained(8_000))) {
      // C was killed while sending the mail: its claim hides the mail for the claim lease (5 minutes of
      // application time), then any worker sends it again. A process whose clock is past that lease
      // shows it without waiting five minutes.
      const { snapshot } = await storeProblems(deps.client, PREFIX);
      const waiting = [...snapshot.mails.values()].filter((m) => m.mail.to === address);
      assert.equal(waiting.length, 1, 'the mail is still in the outbox, not lost');
      await deps.bot(11 * 60_000);
      assert.ok(await drained(15_000), 'the outbox did not drain after the claim lease');
    }
    const { problems, snapshot } = await storeProblems(deps.client, PREFIX);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    // At most two mails (C's, re-sent if its sending was not recorded, or replaced by D's request), and of
    // their links exactly one confirms; the others say « remplacé ».
    const mails = deps.mailsTo(address);
    assert.ok(mails.length >= 1 && mails.length <= 2, `${mails.length} mails`);
    const statuses: number[] = [];
    // By token, not by URL: each process writes its own base URL (its port) into the mails it sends, so
    // C's mail re-sent by D after C's death carries the same token behind another address.
    const tokens = new Set(mails.map((m) => new URL(linkIn(m.text)).search));
    for (const search of tokens)
      statuses.push((await confirmByLink(`${d.url}/confirmation${search}`, PASSWORD)).status);
    assert.equal(statuses.filter((status) => status === 200).length, 1, `${statuses}`);
    assert.equal(statuses.filter((status) => status === 410).length, statuses.length - 1, `${statuses}`);
    deps.assertNoCrash();
  });
});
