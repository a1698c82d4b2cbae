import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { transcriptWriteFailures } from '../../src/bot/middleware/transcript';
import { loadConfig } from '../../src/config';
import type { StoredActivity } from '../../src/domain/transcripts/ports';
import { MASK } from '../../src/domain/transcripts/redaction';
import { buildApp } from '../../src/index';
import { silentLogger } from '../../src/log';
import {
  type BotHarness,
  type BotReply,
  confirmByLink,
  DEMO_NOW,
  linkIn,
  startBot,
  textOf,
} from '../support/bot-harness';
import { httpChat } from '../support/http-chat';
import { eventually } from '../support/poll';
import { dumpRedis } from '../support/redis-dump';

const NUMEN = '01E9501234ABC';
const TYPED = 'Radium1898';
const CARD = 'Electeur2014';

interface Line {
  from: 'user' | 'bot';
  text: string | undefined;
}

/** A conversation that records what the teacher saw, to compare with the transcript. */
function recorded(bot: BotHarness, channelId: string) {
  const chat = bot.conversation(channelId);
  const lines: Line[] = [];
  const log = (sent: string | undefined, replies: BotReply[]) => {
    lines.push({ from: 'user', text: sent });
    for (const r of replies) if (r.type === 'message') lines.push({ from: 'bot', text: r.text });
    return replies;
  };
  return {
    chat,
    lines,
    say: async (text: string, shown = text) => log(shown, await chat.say(text)),
    submit: async (value: Record<string, unknown>) => log(undefined, await chat.submit(value)),
    join: async () => {
      const replies = await chat.join();
      for (const r of replies) if (r.type === 'message') lines.push({ from: 'bot', text: r.text });
      return replies;
    },
  };
}

function linesOf(activities: readonly StoredActivity[]): Line[] {
  return activities
    .filter((a) => a.type === 'message')
    .map((a) => ({
      from: (a.from as { role?: string } | undefined)?.role === 'user' ? 'user' : 'bot',
      text: a.text as string | undefined,
    }));
}

describe('transcripts through /api/messages (real Redis)', function () {
  this.timeout(60_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });
  afterEach(() => sinon.restore());

  it('keeps both sides of an activation, redacted, indexed by address and day, with the retention TTL', async () => {
    // Text-only channel: the password typed twice.
    const cli = recorded(bot, 'cli');
    await cli.join();
    await cli.say('1');
    await cli.say('oui');
    await cli.say('Marie.Curie@AC-PARIS.FR ');
    assert.deepEqual(
      await bot.app.transcripts.findByEmail('marie.curie@ac-paris.fr'),
      [],
      'not before it is confirmed',
    );
    assert.match(textOf(await cli.say('oui')), /Écrivez votre mot de passe électeur/);
    assert.match(textOf(await cli.say(TYPED, MASK)), /seconde fois/);
    assert.match(textOf(await cli.say(TYPED, MASK)), /marie\.curie@ac-paris\.fr/);
    await cli.say(`mon numen est ${NUMEN}`, `mon numen est ${MASK}`);

    // Web Chat: the masked card, then the teacher pastes the mail's link and its token.
    const web = recorded(bot, 'webchat');
    await web.join();
    await web.say('Créer mon compte électeur');
    await web.say('oui');
    await web.say('jean.martin@ac-paris.fr');
    await web.say('oui');
    assert.match(
      textOf(await web.submit({ action: 'password', password: CARD, confirmation: CARD })),
      /quelques minutes/,
    );
    const mails = await bot.smtp.waitForMessages(2);
    const mail = mails.find((m) => m.to.includes('jean.martin@ac-paris.fr'));
    assert.ok(mail);
    const link = linkIn(mail.text);
    const token = decodeURIComponent(new URL(link).searchParams.get('jeton') ?? '');
    await web.say(`le lien ${link} ne marche pas`, `le lien ${MASK} ne marche pas`);
    await web.say(token, MASK);

    // The archive reads on the app's own Redis connection, after the turns' writes: no waiting needed.
    const cliTranscript = await bot.app.transcripts.activities('cli', cli.chat.id);
    assert.deepEqual(linesOf(cliTranscript), cli.lines);
    const webTranscript = await bot.app.transcripts.activities('webchat', web.chat.id);
    assert.deepEqual(linesOf(webTranscript), web.lines);

    const submitted = webTranscript.find((a) => a.value !== undefined);
    assert.deepEqual(submitted?.value, { action: 'password', password: MASK, confirmation: MASK });
    const card = webTranscript
      .flatMap((a) => (a.attachments as Array<{ contentType: string }> | undefined) ?? [])
      .find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    assert.ok(card, 'the helpdesk sees the card the teacher saw');
    assert.equal(cliTranscript[0]?.type, 'conversationUpdate');
    assert.ok(
      cliTranscript.every((a) => typeof a.id === 'string' && a.id !== '' && typeof a.timestamp === 'string'),
      'every activity has an id and a timestamp',
    );
    assert.ok(!cliTranscript.some((a) => a.type === 'trace' || a.type === 'typing'));

    // No password, NUMEN or token anywhere in Redis, whatever the key's type.
    const dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
    assert.match(dump, /tr:meta:\{cli:/, 'the dump covers the transcripts');
    for (const secret of [TYPED, CARD, NUMEN, token, encodeURIComponent(token)]) {
      assert.ok(!dump.includes(secret), `${secret} in clear in Redis`);
    }

    const byAddress = await bot.app.transcripts.findByEmail('Marie.Curie@ac-paris.fr');
    assert.deepEqual(
      byAddress.map((s) => [s.channelId, s.conversationId, s.email]),
      [['cli', cli.chat.id, 'marie.curie@ac-paris.fr']],
    );
    const byDay = (await bot.app.transcripts.findByDay('2014-11-20')).map((s) => s.conversationId);
    assert.ok(byDay.includes(cli.chat.id) && byDay.includes(web.chat.id), 'found by the demo clock’s day');
    const summary = await bot.app.transcripts.summary('webchat', web.chat.id);
    assert.equal(summary?.email, 'jean.martin@ac-paris.fr');
    assert.ok(summary && summary.created <= summary.lastActivity);

    const transcriptKeys = (await bot.redis.keys()).filter((k) => k.startsWith(`${bot.redis.prefix}tr:`));
    assert.ok(transcriptKeys.length >= 7);
    for (const key of transcriptKeys) {
      const ttl = await bot.redis.redis.ttl(key);
      assert.ok(ttl > 89 * 86_400 && ttl <= 90 * 86_400, `${key}: TTL ${ttl}`);
    }
  });

  it('masks a password the teacher asks about in the transcript, the Emulator trace and Redis (issue 14)', async () => {
    const CANDIDATE = 'Soleil2014';
    const emulator = recorded(bot, 'emulator');
    await emulator.join();
    const replies = await emulator.say(
      `Bonjour, est-ce que ${CANDIDATE} ça passe ?`,
      `Bonjour, est-ce que ${MASK} ça passe ?`,
    );
    assert.match(textOf(replies), /ne l’utilisez pas/);
    assert.ok(!textOf(replies).includes(CANDIDATE), 'never repeated');
    const trace = replies.find((r) => r.type === 'trace') as (BotReply & { value?: unknown }) | undefined;
    assert.ok(trace, 'the Emulator gets its RecognizerResult');
    assert.match(JSON.stringify(trace.value), /password_rules/);
    assert.ok(!JSON.stringify(trace).includes(CANDIDATE), 'masked in the trace');
    await emulator.say(`mon mdp serait ${CANDIDATE}, ok ?`, `mon mdp serait ${MASK}, ok ?`);

    const transcript = await bot.app.transcripts.activities('emulator', emulator.chat.id);
    assert.deepEqual(linesOf(transcript), emulator.lines);
    // The statistics of the turn are written with it: the whole Redis, whatever the key's type.
    const dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
    assert.match(dump, /tr:meta:\{emulator:/, 'the dump covers the transcripts');
    assert.ok(!dump.includes(CANDIDATE), `${CANDIDATE} in clear in Redis`);
  });

  it('keeps a few KB for a 3-question conversation, even with 30 KB of channelData per message', async () => {
    const questions = ['Quand a lieu le vote ?', 'Je ne connais pas mon NUMEN', 'aide'];
    const measure = async (extra: Record<string, unknown>) => {
      const chat = bot.conversation('webchat', extra);
      await chat.join();
      for (const question of questions) await chat.say(question);
      const member = `webchat:${chat.id}`;
      let bytes = 0;
      for (const key of [`${bot.redis.prefix}tr:{${member}}`, `${bot.redis.prefix}tr:meta:{${member}}`])
        bytes += Number(await bot.redis.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      const stored = await bot.redis.redis.lrange(`${bot.redis.prefix}tr:{${member}}`, 0, -1);
      return { chat, bytes, stored };
    };
    const plain = await measure({});
    const padded = await measure({ channelData: { filler: 'x'.repeat(30_000) } });
    process.stdout.write(
      `      transcript of 3 questions: ${plain.bytes} bytes (MEMORY USAGE), ${padded.bytes} with 30 KB channelData each\n`,
    );
    assert.ok(padded.bytes < 6_000, `${padded.bytes} bytes`);
    assert.ok(padded.bytes - plain.bytes < 200, 'channelData costs nothing');
    assert.equal(padded.stored.length, plain.stored.length, 'one line per activity, whatever it carries');
    assert.ok(!padded.stored.some((line) => line.includes('xxxx')));

    // The export opens in the Emulator: every activity names its sender and recipient by role, and its
    // conversation; the teacher's questions and the replies are there.
    const exported = await bot.app.transcripts.activities('webchat', padded.chat.id);
    for (const a of exported) {
      assert.ok(typeof a.id === 'string' && typeof a.timestamp === 'string' && a.channelId === 'webchat');
      assert.deepEqual(a.conversation, { id: padded.chat.id });
      const from = (a.from as { role?: string }).role;
      assert.ok(from === 'user' || from === 'bot');
      assert.equal((a.recipient as { role?: string }).role, from === 'user' ? 'bot' : 'user');
    }
    assert.deepEqual(
      exported.filter((a) => (a.from as { role: string }).role === 'user' && a.text).map((a) => a.text),
      questions,
    );
  });

  it('logs the confirmation message sent later into the conversation (proactive)', async () => {
    const web = recorded(bot, 'webchat');
    await web.join();
    await web.say('Créer mon compte électeur');
    await web.say('oui');
    await web.say('paul.langevin@ac-paris.fr');
    await web.say('oui');
    await web.submit({ action: 'password', password: CARD, confirmation: CARD });
    // The first test sent two mails on this bot.
    const found = (await bot.smtp.waitForMessages(3)).find((m) => m.to.includes('paul.langevin@ac-paris.fr'));
    assert.ok(found);
    assert.equal((await confirmByLink(linkIn(found.text), CARD)).status, 200);
    await bot.connector.waitFor((p) => p.conversationId === web.chat.id);
    assert.ok(
      await eventually(async () => {
        const activities = await bot.app.transcripts.activities('webchat', web.chat.id);
        return /Votre compte électeur est confirmé/.test(String(activities.at(-1)?.text));
      }, 5_000),
    );
  });

  it('still answers when the transcript store fails, and counts the failure', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    const before = transcriptWriteFailures();
    // The turn's lines travel with its end (state, lines and lock in one script): their part fails.
    const append = sinon
      .stub(bot.app.transcripts as unknown as { appendArguments: () => unknown[] }, 'appendArguments')
      .throws(new Error('line too strange to write'));
    const started = performance.now();
    const replies = await chat.say('aide');
    const elapsed = performance.now() - started;
    assert.match(textOf(replies), /À tout moment/);
    assert.ok(append.called);
    assert.ok(await eventually(async () => transcriptWriteFailures() > before, 2_000), 'failure counted');
    assert.ok(elapsed < 5_000);

    append.restore();
    assert.match(textOf(await chat.say('aide')), /À tout moment/, 'and the next turn is logged again');
    const lines = linesOf(await bot.app.transcripts.activities('cli', chat.id));
    assert.deepEqual(
      lines.filter((l) => l.from === 'user').map((l) => l.text),
      ['aide'],
      'the failed turn is missing, nothing else',
    );
  });
});

describe('transcripts in embedded mode (no REDIS_URL)', function () {
  this.timeout(30_000);

  it('keeps the redacted transcript in memory, found by address and day', async () => {
    const app = buildApp(
      loadConfig({ NODE_ENV: 'development', PORT: '0', CLOCK_NOW: DEMO_NOW, LOG_LEVEL: 'silent' }),
      silentLogger(),
    );
    const url = await app.start();
    try {
      const chat = httpChat(url, 'http://127.0.0.1:9/')('cli');
      await chat.join();
      await chat.say('1');
      await chat.say('oui');
      await chat.say('ada.lovelace@ac-paris.fr');
      await chat.say('oui');
      await chat.say(TYPED);
      const [found] = await app.transcripts.findByEmail('ada.lovelace@ac-paris.fr');
      assert.ok(found);
      assert.deepEqual(
        (await app.transcripts.findByDay('2014-11-20')).map((s) => s.conversationId),
        [found.conversationId],
      );
      const activities = await app.transcripts.activities('cli', found.conversationId);
      assert.equal(activities.filter((a) => a.text === MASK).length, 1);
      assert.ok(!JSON.stringify(activities).includes(TYPED));
    } finally {
      await app.stop();
    }
  });
});
