import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { loadConfig } from '../../src/config';
import type { ConversationSummary } from '../../src/domain/transcripts/ports';
import { buildApp } from '../../src/index';
import { silentLogger } from '../../src/log';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';

/** The test profiles (ACADEMIES_FILE): La Réunion with a helpdesk and its own sender, Guadeloupe, Mayotte. */
const ACADEMIES_FILE = path.join(__dirname, '..', 'fixtures', 'academies', 'with-contacts.json');
const TENANT = '11111111-2222-4333-8444-555555555555';
const PASSWORD = 'Electeur2014';

/** Transcripts are written after the turn, never awaited by it: the summary shows up shortly after. */
async function summaryOf(bot: BotHarness, channelId: string, id: string): Promise<ConversationSummary> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const summary = await bot.app.transcripts.summary(channelId, id);
    if (summary?.academie) return summary;
    if (Date.now() > deadline) throw new Error(`no académie in the summary: ${JSON.stringify(summary)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('académie profiles end to end (issue 14: /api/messages, real Redis, real SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ ACADEMIES_FILE });
  });
  after(async () => {
    await bot?.close();
  });

  it('a Web Chat page configured for Guadeloupe answers in Guadeloupe time before any address', async () => {
    const chat = bot.conversation('webchat', { channelData: { academie: 'guadeloupe' } });
    await chat.join();
    const close = textOf(await chat.say('le vote se termine quand ?'));
    assert.match(close, /jeudi 4 décembre 2014 à 17\u00a0h \(heure de Paris\), soit 12\u00a0h en Guadeloupe/);
    const webmail = textOf(await chat.say('c’est quoi le lien du webmail ?'));
    assert.match(webmail, /probablement https:\/\/webmail\.ac-guadeloupe\.fr/);
    // The helpdesk sees the conversation's académie, and the figures count it.
    assert.equal((await summaryOf(bot, 'webchat', chat.id)).academie, 'guadeloupe');
    // Statistics are written once a second (issue 13): wait for the batch.
    let keys: string[] = [];
    const counted = await eventually(async () => {
      keys = await bot.redis.keys();
      return keys.some((k) => k.includes('intents:ac:guadeloupe'));
    }, 5_000);
    assert.ok(counted, `per-académie intents: ${keys.filter((k) => k.includes('stats')).join(', ')}`);
  });

  it('a page sending an académie the profiles do not have: Paris time only', async () => {
    const chat = bot.conversation('webchat', { channelData: { academie: 'reunion-bis' } });
    const close = textOf(await chat.say('le vote se termine quand ?'));
    assert.match(close, /17\u00a0h \(heure de Paris\)/);
    assert.doesNotMatch(close, /soit/);
  });

  it('a Teams profile address on ac-mayotte.fr sets Mayotte (looked up once, when an answer needs it)', async () => {
    const chat = bot.conversation('msteams', { channelData: { tenant: { id: TENANT } } });
    bot.connector.members.set(chat.user.id, {
      id: chat.user.id,
      name: 'Ali Madi',
      email: 'ali.madi@ac-mayotte.fr',
      userPrincipalName: 'ali.madi@ac-mayotte.fr',
    });
    const close = textOf(await chat.say('le vote se termine quand ?'));
    assert.match(close, /17\u00a0h \(heure de Paris\), soit 19\u00a0h à Mayotte/);
    assert.equal((await summaryOf(bot, 'msteams', chat.id)).academie, 'mayotte');
    // The profile changed: the conversation already knows its académie and does not ask again.
    bot.connector.members.set(chat.user.id, { id: chat.user.id, email: 'ali.madi@ac-reunion.fr' });
    assert.match(textOf(await chat.say('et le vote commence quand ?')), /à Mayotte/);
  });

  it('a La Réunion address: its local time, its helpdesk, and a mail from its sender in its time', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('Créer mon compte électeur');
    await chat.say('oui');
    await chat.say('marie.payet@ac-reunion.fr');
    await chat.say('oui');
    assert.match(textOf(await chat.say('qui contacter en cas de problème ?')), /0262 00 00 00/);
    const before = bot.smtp.messages.length;
    const sent = textOf(
      await chat.submit({ action: 'password', password: PASSWORD, confirmation: PASSWORD }),
    );
    assert.match(sent, /marie\.payet@ac-reunion\.fr/);
    const [mail] = (await bot.smtp.waitForMessages(before + 1)).slice(before);
    assert.ok(mail);
    assert.equal(mail.from, 'elections@ac-reunion.fr', 'the académie’s sender (mailFrom)');
    assert.match(
      mail.text,
      /samedi 22 novembre 2014 à 9\u00a0h \(heure de Paris\), soit le samedi 22 novembre 2014 à 12\u00a0h \(heure locale\)/,
    );
    assert.equal((await summaryOf(bot, 'webchat', chat.id)).academie, 'reunion');
  });
});

describe('single-académie overrides (WEBMAIL_URL, MAIL_FROM, ACADEMIE_DOMAINS)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({
      WEBMAIL_URL: 'https://webmail.example-academie.fr',
      MAIL_FROM: 'Rectorat <elections@example-academie.fr>',
      ACADEMIE_DOMAINS: 'ac-reunion.fr',
    });
  });
  after(async () => {
    await bot?.close();
  });

  it('win over the profiles when set: one webmail, one sender, the listed domains only', async () => {
    const chat = bot.conversation('webchat');
    await chat.say('Créer mon compte électeur');
    await chat.say('oui');
    assert.match(
      textOf(await chat.say('claire.moreau@ac-paris.fr')),
      /n’est pas celui d’une académie|mal écrit/,
    );
    await chat.say('marie.payet@ac-reunion.fr');
    await chat.say('oui');
    const webmail = textOf(await chat.say('c’est quoi le lien du webmail ?'));
    assert.match(webmail, /https:\/\/webmail\.example-academie\.fr/);
    assert.doesNotMatch(webmail, /ac-reunion\.fr \(|probablement/);
    // The time stays the académie's: the overrides are about the webmail, the sender and the domains.
    assert.match(textOf(await chat.say('le vote se termine quand ?')), /soit 20\u00a0h à La Réunion/);
    const before = bot.smtp.messages.length;
    await chat.submit({ action: 'password', password: PASSWORD, confirmation: PASSWORD });
    const [mail] = (await bot.smtp.waitForMessages(before + 1)).slice(before);
    assert.equal(mail?.from, 'elections@example-academie.fr');
  });
});

describe('ACADEMIES_FILE at start-up', () => {
  function startWith(json: unknown): () => unknown {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'academies-')), 'academies.json');
    fs.writeFileSync(file, JSON.stringify(json));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ACADEMIES_FILE: file });
    return () => buildApp(config, silentLogger());
  }

  it('refuses to start on a bad profile, naming the file and the field', () => {
    const bad = JSON.parse(fs.readFileSync(ACADEMIES_FILE, 'utf8')) as {
      academies: Array<Record<string, unknown>>;
    };
    const first = bad.academies[0] ?? {};
    first.timeZone = 'Europe/Atlantide';
    assert.throws(
      startWith(bad),
      /profils des académies .*academies\.json invalides[\s\S]*academies\.0\.timeZone/,
    );
  });

  it('refuses to start when no académie is in force for the election’s vote', () => {
    const later = JSON.parse(fs.readFileSync(ACADEMIES_FILE, 'utf8')) as {
      academies: Array<Record<string, unknown>>;
    };
    const normandie = later.academies.filter((a) => a.id === 'normandie');
    assert.throws(startWith({ academies: normandie }), /aucune académie en vigueur aux dates du vote/);
  });
});
