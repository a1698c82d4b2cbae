import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import sinon from 'sinon';
import { type BotHarness, confirmByLink, linkIn, startBot, textOf } from '../support/bot-harness';
import { passwordCard, roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { type PrivateRedis, startPrivateRedis } from '../support/redis-server';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { storeProblems } from '../support/store-invariants';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';
import { SENT, walkToPassword } from '../support/walk';

const PASSWORD = 'Electeur2014';
/** Longer than a minute of application time, in steps shorter than the first retry delays. */
const OUTAGE_MS = 75_000;
const STEP_MS = 15_000;

/**
 * SMTP refusing or down for over a minute while teachers keep requesting accounts: once it is back,
 * every confirmation mail is delivered exactly once.
 *
 * The outage is simulated in application time, not waited for: the app's clock (the one object every
 * part of the app reads "now" from, `app.clock`) is shifted forward by sinon, and the worker's drain is
 * run after each step instead of waiting for its 2 s poll. Node's own timers are left alone (faking them
 * would also fake ioredis', restify's and nodemailer's). The retry schedule under test is therefore the
 * real one (5 s, 10 s, 20 s … ±20 % of application time, src/infra/mail/outbox-worker.ts), in ~1 s of
 * real time per step.
 */
describe('fault: SMTP refusing or down for more than a minute', function () {
  this.timeout(60_000);
  let redis: PrivateRedis;
  let sink: SmtpSink;
  let gate: TcpGate;
  let bot: BotHarness;
  let client: Redis;
  let skewMs = 0;
  let clockStub: sinon.SinonStub | undefined;

  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  before(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    redis = await startPrivateRedis();
    sink = await startSmtpSink();
    gate = await startTcpGate(sink.port);
    bot = await startBot({ REDIS_URL: redis.url, SMTP_URL: `smtp://127.0.0.1:${gate.port}` });
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  beforeEach(() => {
    const real = bot.app.clock.now.bind(bot.app.clock);
    clockStub = sinon.stub(bot.app.clock, 'now').callsFake(() => new Date(real().getTime() + skewMs));
  });
  afterEach(() => {
    clockStub?.restore();
    sink.refuse(false);
    return gate.open();
  });
  after(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await bot?.close();
    await gate?.close();
    await sink?.close();
    client?.disconnect();
    await redis?.destroy();
  });

  const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));

  const requestAccount = async (address: string) => {
    const chat = roamingConversation(bot.connector.serviceUrl);
    await walkToPassword(chat.on(bot.url), address);
    assert.match(textOf(await chat.submit(bot.url, passwordCard(PASSWORD))), SENT);
  };

  /**
   * Runs the outage: application time moves on by steps, the worker tries whatever is due at each step,
   * and a new account is requested at some of them. Returns the addresses requested.
   */
  const outage = async (names: readonly string[]): Promise<string[]> => {
    const addresses: string[] = [];
    for (let elapsed = 0, step = 0; elapsed < OUTAGE_MS; elapsed += STEP_MS, step += 1) {
      const name = names[step];
      if (name) {
        const address = `${name}@ac-paris.fr`;
        addresses.push(address);
        await requestAccount(address);
      }
      skewMs += STEP_MS;
      await bot.app.worker.drain();
    }
    return addresses;
  };

  /** Brings application time past any retry delay already scheduled, and lets the worker send. */
  const recover = async (addresses: readonly string[]) => {
    skewMs += 3 * 60_000;
    await bot.app.worker.drain();
    const arrived = await eventually(
      async () => addresses.every((address) => mailsTo(address).length > 0),
      15_000,
    );
    assert.ok(arrived, 'not every mail arrived after SMTP came back');
    // Further polls, and a later clock, must not send anything again.
    skewMs += 15 * 60_000;
    await bot.app.worker.drain();
    await sleep(2_500);
    await bot.app.worker.drain();
  };

  const assertDeliveredOnce = async (addresses: readonly string[]) => {
    for (const address of addresses) assert.equal(mailsTo(address).length, 1, `${address}: mails received`);
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.queued, 0, 'nothing left in the outbox');
    assert.equal(snapshot.dead, 0, 'nothing given up');
    for (const address of addresses) assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    assert.deepEqual(crashes, []);
  };

  it('delivers each mail once after SMTP refused every mail (451) for over a minute', async () => {
    sink.refuse(true);
    const refusalsBefore = sink.refusals;
    const addresses = await outage(['anne.roux', 'bruno.faure', 'chloe.girard']);

    assert.equal(sink.messages.length, 0, 'nothing delivered during the outage');
    const { snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.equal(snapshot.mails.size, addresses.length, 'every mail still queued');
    for (const { attempts } of snapshot.mails.values()) assert.ok(attempts >= 2, `only ${attempts} attempts`);
    assert.ok(sink.refusals - refusalsBefore >= 2 * addresses.length, 'the worker kept retrying');

    sink.refuse(false);
    await recover(addresses);
    await assertDeliveredOnce(addresses);

    // The delivered link still confirms: the outage did not spoil the token.
    const [first] = mailsTo(addresses[0] as string);
    assert.ok(first);
    assert.equal((await confirmByLink(linkIn(first.text), PASSWORD)).status, 200);
  });

  it('delivers each mail once after the SMTP port was closed for over a minute', async () => {
    const before = sink.messages.length;
    await gate.close();
    const addresses = await outage(['denis.mercier', 'emma.blanc', 'fabien.garnier']);

    assert.equal(sink.messages.length, before, 'nothing delivered during the outage');
    const { snapshot } = await storeProblems(client, bot.redis.prefix);
    const queued = [...snapshot.mails.values()].filter((m) => addresses.includes(m.mail.to));
    assert.equal(queued.length, addresses.length, 'every mail still queued');
    for (const { attempts } of queued) assert.ok(attempts >= 2, `only ${attempts} attempts`);

    await gate.open();
    await recover(addresses);
    await assertDeliveredOnce(addresses);
  });
});
