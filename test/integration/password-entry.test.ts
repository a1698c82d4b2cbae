import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { loadConfig } from '../../src/config';
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
import { startFakeConnector } from '../support/fake-connector';
import { httpChat } from '../support/http-chat';
import { eventually } from '../support/poll';
import { dumpRedis } from '../support/redis-dump';
import { SENT, walkToPassword } from '../support/walk';

const STRONG = 'Electeur2014';
const PAGE_LINK = /https?:\/\/[^\s"]+\/mot-de-passe\/([A-Za-z0-9_-]{43})/;

function pageLinkIn(replies: readonly BotReply[]): { url: string; token: string } {
  const match = PAGE_LINK.exec(JSON.stringify(replies));
  if (!match?.[1]) throw new Error('no password link in the replies');
  return { url: match[0], token: match[1] };
}

async function postForm(url: string, password: string, confirmation: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, confirmation }).toString(),
  });
  return { status: response.status, html: await response.text() };
}

describe('PASSWORD_ENTRY=link through /api/messages (real Redis, real SMTP, fake connector)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  /** Every token and password of these tests: none may be found in Redis at the end. */
  const secrets: string[] = [];

  before(async () => {
    bot = await startBot({ PASSWORD_ENTRY: 'link' });
  });
  after(async () => {
    await bot.close();
  });

  it('sends the link, takes the password on the page, and the conversation goes on to the mail', async () => {
    const chat = bot.conversation('webchat');
    const step = await walkToPassword(chat, 'jean.martin@ac-paris.fr');
    assert.match(textOf(step), /page à part/);
    assert.doesNotMatch(textOf(step), /Écrivez votre mot de passe/);
    const { url, token } = pageLinkIn(step);
    secrets.push(token, STRONG);

    const form = await fetch(url);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /autocomplete="new-password"/);

    const weak = await postForm(url, 'motdepasse', 'motdepasse');
    assert.equal(weak.status, 422);
    assert.match(weak.html, /il manque une majuscule et un chiffre/);

    const done = await postForm(url, STRONG, STRONG);
    assert.equal(done.status, 200);
    assert.match(done.html, /Mot de passe enregistré, revenez dans la conversation/);

    // The proactive turn: the dialog resumed, created the pending account and said « mail envoyé ».
    const proactive = await bot.connector.waitFor(
      (p) => p.conversationId === chat.id && SENT.test(p.activity.text ?? ''),
    );
    assert.match(proactive.activity.text ?? '', /jean\.martin@ac-paris\.fr/);

    const [mail] = await bot.smtp.waitForMessages(1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['jean.martin@ac-paris.fr']);
    // The confirmation page asks for the password typed on our page (never in the chat).
    const link = linkIn(mail.text);
    const page = await (await fetch(link)).text();
    assert.match(page, /Mot de passe électeur/);
    assert.equal((await confirmByLink(link, 'Autre2014x')).status, 422, 'another password does not confirm');
    const confirmed = await confirmByLink(link, STRONG);
    assert.equal(confirmed.status, 200, 'the account is confirmed');
    const account = await bot.app.accounts.status('jean.martin@ac-paris.fr');
    assert.equal(account?.status, 'confirmed');

    assert.equal((await postForm(url, STRONG, STRONG)).status, 410, 'one use only');
    // The transcript has the bot's link message (the token masked) and the proactive reply.
    assert.ok(
      await eventually(async () => {
        const activities = await bot.app.transcripts.activities('webchat', chat.id);
        return activities.some((a) => SENT.test(String(a.text)));
      }, 5_000),
      'the continuation reached the transcript',
    );
  });

  it('on a text channel: the link as text; a password typed in the chat is refused and not kept', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    await chat.say('1');
    await chat.say('oui');
    await chat.say('marie.curie@ac-paris.fr');
    const step = await chat.say('oui');
    const first = pageLinkIn(step);
    assert.match(textOf(step), PAGE_LINK, 'the link is in the text');
    secrets.push(first.token, 'Radium1898');

    assert.match(
      textOf(await chat.say('Radium1898')),
      /je ne prends pas de mot de passe dans la conversation/,
    );
    const again = await chat.say('renvoyer');
    const second = pageLinkIn(again);
    secrets.push(second.token);
    assert.notEqual(second.token, first.token);
    const old = await fetch(first.url);
    assert.equal(old.status, 410);
    assert.match(await old.text(), /remplacé/);

    assert.equal((await postForm(second.url, 'Polonium1898', 'Polonium1898')).status, 200);
    secrets.push('Polonium1898');
    const proactive = await bot.connector.waitFor(
      (p) => p.conversationId === chat.id && SENT.test(p.activity.text ?? ''),
    );
    assert.match(proactive.activity.text ?? '', /marie\.curie@ac-paris\.fr/);
    assert.ok(
      (await bot.smtp.waitForMessages(2)).some((m) => m.to.includes('marie.curie@ac-paris.fr')),
      'the confirmation mail',
    );
  });

  it('leaves no password and no link token in clear in Redis (state, entries, transcripts, outbox)', async () => {
    assert.ok(secrets.length >= 5, 'the walks above ran');
    const keys = await bot.redis.keys();
    assert.ok(
      keys.some((k) => k.includes('pwentry:token:')),
      'the entries are under the prefix',
    );
    assert.ok(
      keys.some((k) => k.includes('state:')),
      'so is the conversation state',
    );
    const dump = await dumpRedis(bot.redis.redis, keys);
    for (const secret of secrets)
      assert.ok(!dump.includes(secret), `« ${secret.slice(0, 4)}… » in clear in Redis`);
    const entries = keys.filter((k) => k.includes('pwentry:token:'));
    for (const key of entries) {
      const entry = await bot.redis.redis.hgetall(key);
      if (entry.status === 'claimed')
        assert.equal(entry.passwordHash, undefined, 'a claimed entry keeps no PHC');
    }
    assert.ok(
      (await Promise.all(entries.map((k) => bot.redis.redis.hget(k, 'status')))).includes('claimed'),
      'the entries were claimed',
    );
  });
});

describe('PASSWORD_ENTRY=link in embedded mode (no Redis: the memory store)', function () {
  this.timeout(30_000);

  it('runs the same flow, and PASSWORD_ENTRY=chat (the default) serves no password page', async () => {
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'electeur-password-entry-'));
    const connector = await startFakeConnector();
    const env = { NODE_ENV: 'development', PORT: '0', MAIL_OUTBOX_DIR: outbox, CLOCK_NOW: DEMO_NOW };
    const app = buildApp(loadConfig({ ...env, PASSWORD_ENTRY: 'link' }), silentLogger());
    const chatApp = buildApp(loadConfig(env), silentLogger());
    const realWrite = process.stderr.write;
    // The outbox worker prints the confirmation link in this mode: kept out of the test report.
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const url = await app.start();
      const chat = httpChat(url, connector.serviceUrl)('webchat');
      const { url: page } = pageLinkIn(await walkToPassword(chat, 'pierre.curie@ac-paris.fr'));
      assert.equal((await postForm(page, 'Polonium1898', 'Polonium1898')).status, 200);
      const proactive = await connector.waitFor(
        (p) => p.conversationId === chat.id && SENT.test(p.activity.text ?? ''),
      );
      assert.match(proactive.activity.text ?? '', /pierre\.curie@ac-paris\.fr/);

      const chatUrl = await chatApp.start();
      const pathOnly = new URL(page).pathname;
      assert.equal((await fetch(`${chatUrl}${pathOnly}`)).status, 404, 'no page without the setting');
    } finally {
      await app.stop();
      await chatApp.stop();
      await connector.close();
      process.stderr.write = realWrite;
      fs.rmSync(outbox, { recursive: true, force: true });
    }
  });
});
