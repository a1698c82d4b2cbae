import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import {
  type BotHarness,
  type BotReply,
  confirmByLink,
  linkIn,
  startBot,
  textOf,
} from '../support/bot-harness';
import { SENT, walkToPassword } from '../support/walk';

/**
 * Issue 14 item 3: another election file (calendars/elections-2022-example.json: 12 characters, a special
 * one) drives every place that states or checks the password rules, end to end over /api/messages with
 * real Redis and the SMTP sink.
 */
const ELECTION_2022 = {
  ELECTION_CALENDAR: path.resolve(__dirname, '..', '..', 'calendars', 'elections-2022-example.json'),
  // Inside the 2022 account window (13 October → 8 December 2022, 17 h).
  CLOCK_NOW: '2022-11-21T09:00:00+01:00',
};
const NB = '\u00a0';
const SPECIAL = `un caractère spécial (par exemple${NB}!${NB}? # ou @)`;
const RULES = `au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et ${SPECIAL}`;
/** Twelve characters and more, every kind: good under the 2022 policy. */
const GOOD = 'Électeur-2022!';
const PAGE_LINK = /https?:\/\/[^\s"]+\/mot-de-passe\/([A-Za-z0-9_-]{43})/;

function cardOf(replies: readonly BotReply[]) {
  return replies
    .flatMap((r) => r.attachments ?? [])
    .find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
}

async function postForm(url: string, password: string, confirmation: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, confirmation }).toString(),
  });
  return { status: response.status, html: await response.text() };
}

/** The text of an HTML page, tags dropped and entities of our escaping undone, for matching words. */
function pageText(html: string): string {
  return (
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      // Only ordinary white space: the non-breaking spaces of French typography are part of what is checked.
      .replace(/[ \t\r\n]+/g, ' ')
  );
}

describe('an election file with the 12-character policy, through /api/messages (real Redis, real SMTP)', function () {
  this.timeout(30_000);

  describe('password typed in the chat (PASSWORD_ENTRY=chat)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot(ELECTION_2022);
    });
    after(async () => {
      await bot.close();
    });

    it('names the election in the welcome', async () => {
      const chat = bot.conversation('webchat');
      assert.match(textOf(await chat.join()), /Assistant électeur \(Élections professionnelles 2022\)/);
    });

    it('answers « quelles sont les règles du mot de passe ? » with the 12 characters and the special one', async () => {
      const chat = bot.conversation('webchat');
      await chat.join();
      const answer = textOf(await chat.say('Quelles sont les règles du mot de passe ?'));
      assert.ok(answer.includes(`Votre mot de passe électeur doit compter ${RULES}.`), answer);
      assert.doesNotMatch(answer, /8 caractères|pas obligatoire/);
    });

    it('prompt, card, refusal, request, mail and confirmation page all follow the policy', async () => {
      const email = 'claire.dupuis@ac-paris.fr';
      const chat = bot.conversation('webchat');
      const step = await walkToPassword(chat, email);

      // The chat prompt states 12 characters and a special character.
      assert.ok(textOf(step).includes(`Il doit compter ${RULES}.`), textOf(step));
      // The card's text states the same rules.
      const card = cardOf(step);
      assert.ok(card, 'the masked card on Web Chat');
      const blocks = (card.content.body as Array<{ type: string; text?: string }>).filter(
        (b) => b.type === 'TextBlock',
      );
      assert.ok(
        blocks.some((b) => b.text === `Votre mot de passe doit compter ${RULES}.`),
        JSON.stringify(blocks),
      );

      // Ten characters, good under 2014's rules: refused, naming what is missing, and the step waits.
      const refused = textOf(await chat.say('Electeur22'));
      assert.ok(
        refused.startsWith(
          `Ce mot de passe ne convient pas encore${NB}: il compte moins de 12 caractères, il manque ${SPECIAL}.`,
        ),
        refused,
      );
      assert.equal(await bot.app.accounts.status(email), null, 'nothing requested');
      // Long enough, still no special character: only that is named.
      const noSpecial = textOf(
        await chat.submit({ action: 'password', password: 'Electeur2022x', confirmation: 'Electeur2022x' }),
      );
      assert.match(noSpecial, /il manque un caractère spécial[^.]*\. Il doit compter/);
      assert.doesNotMatch(noSpecial, /moins de 12/);

      // A good one on the card creates the request.
      const sent = textOf(await chat.submit({ action: 'password', password: GOOD, confirmation: GOOD }));
      assert.match(sent, SENT);
      assert.equal((await bot.app.accounts.status(email))?.status, 'pending');

      // The mail names the election and leads to the page, which states the rules and accepts the password.
      const [mail] = await bot.smtp.waitForMessages(1);
      assert.ok(mail);
      assert.deepEqual(mail.to, [email]);
      assert.equal(mail.subject, `Élections professionnelles 2022${NB}: confirmez votre compte électeur`);
      assert.ok(mail.text.includes('(Élections professionnelles 2022)'), mail.text);
      const link = linkIn(mail.text);
      const page = pageText(await (await fetch(link)).text());
      assert.ok(page.includes(`Il compte ${RULES}.`), page);
      assert.equal(
        (await confirmByLink(link, 'Electeur22')).status,
        422,
        'another password does not confirm',
      );
      const confirmed = await confirmByLink(link, GOOD);
      assert.equal(confirmed.status, 200);
      assert.match(confirmed.html, /Votre compte électeur est confirmé/);
      assert.equal((await bot.app.accounts.status(email))?.status, 'confirmed');
    });
  });

  describe('password typed on our page (PASSWORD_ENTRY=link)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ ...ELECTION_2022, PASSWORD_ENTRY: 'link' });
    });
    after(async () => {
      await bot.close();
    });

    it('the chat and the page state the rules, the page refuses a weak password and takes a good one', async () => {
      const email = 'paul.lemaire@ac-paris.fr';
      const chat = bot.conversation('webchat');
      const step = await walkToPassword(chat, email);
      assert.ok(textOf(step).includes(`Il doit compter ${RULES}.`), textOf(step));
      const match = PAGE_LINK.exec(JSON.stringify(step));
      assert.ok(match, 'the password page link');
      const url = match[0];

      const form = await fetch(url);
      assert.equal(form.status, 200);
      const html = await form.text();
      const items = [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);
      assert.deepEqual(items, [
        'au moins 12 caractères (128 au plus),',
        'une majuscule,',
        'une minuscule,',
        'un chiffre,',
        `${SPECIAL}.`,
      ]);

      const weak = await postForm(url, 'Electeur22', 'Electeur22');
      assert.equal(weak.status, 422);
      assert.ok(
        pageText(weak.html).includes(
          `Ce mot de passe ne convient pas encore${NB}: il compte moins de 12 caractères, il manque ${SPECIAL}.`,
        ),
        pageText(weak.html),
      );

      const saved = await postForm(url, GOOD, GOOD);
      assert.equal(saved.status, 200);
      const proactive = await bot.connector.waitFor(
        (p) => p.conversationId === chat.id && SENT.test(p.activity.text ?? ''),
      );
      assert.ok(proactive.activity.text?.includes(email));
      const [mail] = await bot.smtp.waitForMessages(1);
      assert.ok(mail);
      assert.equal(mail.subject, `Élections professionnelles 2022${NB}: confirmez votre compte électeur`);
      assert.equal((await confirmByLink(linkIn(mail.text), GOOD)).status, 200);
      assert.equal((await bot.app.accounts.status(email))?.status, 'confirmed');
    });
  });
});
