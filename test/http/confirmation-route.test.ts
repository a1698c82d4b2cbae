import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { type BotHarness, confirmByLink, linkIn, startBot, submitConfirmation } from '../support/bot-harness';
import { frenchDate, requestAccount, SENT } from '../support/walk';

const PASSWORD = 'Electeur2014';
const HOUR = 3_600_000;

interface Page {
  status: number;
  headers: Headers;
  html: string;
}

async function open(url: string): Promise<Page> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('jeton') ?? '';
}

/** Every page of the route is a French, accessible page with the security headers and no token. */
function assertSafeFrenchPage(page: Page, token?: string): void {
  assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  assert.match(page.html, /<html lang="fr">/);
  assert.match(page.html, /<title>[^<]+<\/title>/);
  assert.equal((page.html.match(/<h1>/g) ?? []).length, 1, 'one heading');
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.match(page.headers.get('cache-control') ?? '', /no-store/);
  if (token) {
    assert.ok(!page.html.includes(token), 'the token is not in the page');
    assert.ok(!page.html.includes(encodeURIComponent(token)), 'the token is not in the page (encoded)');
  }
  assert.doesNotMatch(page.html, /jeton=/);
}

describe('/confirmation (real server, real Redis, real SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let mailCount = 0;

  /** The next mail, which must go to `email`. */
  async function nextMail(email: string) {
    mailCount += 1;
    const mails = await bot.smtp.waitForMessages(mailCount);
    const mail = mails.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.to, [email]);
    return mail;
  }

  /** Requests an account through the chat (a conversation of its own) and returns the link of its mail. */
  async function linkFor(email: string): Promise<string> {
    assert.match(await requestAccount(bot.conversation('webchat'), email, PASSWORD), SENT);
    return linkIn((await nextMail(email)).text);
  }

  /**
   * Every account and request record and every budget, with whether it expires: what a GET must leave as
   * it was. (The outbox is the worker's, which may still be acknowledging the mail.)
   */
  async function dumpAccounts(): Promise<Record<string, unknown>> {
    const dump: Record<string, unknown> = {};
    const keys = (await bot.redis.keys()).filter((k) => k.includes('{accounts}:acct') || k.includes(':rl:'));
    for (const key of keys.sort()) {
      const type = await bot.redis.redis.type(key);
      const value =
        type === 'hash'
          ? Object.entries(await bot.redis.redis.hgetall(key)).sort()
          : await bot.redis.redis.get(key);
      dump[key] = { value, persistent: (await bot.redis.redis.pttl(key)) < 0 };
    }
    return dump;
  }

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  describe('a link that is not ours: 404, French, says what to do', () => {
    const cases: Array<[string, string]> = [
      ['no token', '/confirmation'],
      ['an empty token', '/confirmation?jeton='],
      ['a forged token of the right shape', `/confirmation?jeton=${randomBytes(32).toString('base64url')}`],
      [
        'a token one character short',
        `/confirmation?jeton=${randomBytes(32).toString('base64url').slice(1)}`,
      ],
      ['a malformed token', '/confirmation?jeton=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
      ['a path in the token', '/confirmation?jeton=..%2F..%2Fetc%2Fpasswd'],
      ['a very long token', `/confirmation?jeton=${'A'.repeat(5000)}`],
      ['the token given twice', `/confirmation?jeton=${'A'.repeat(43)}&jeton=${'B'.repeat(43)}`],
      ['another parameter name', `/confirmation?token=${randomBytes(32).toString('base64url')}`],
    ];
    for (const [name, path] of cases) {
      it(name, async () => {
        const page = await open(`${bot.url}${path}`);
        assert.equal(page.status, 404);
        assertSafeFrenchPage(page);
        assert.match(page.html, /Ce lien de confirmation n’est pas valide/);
        assert.match(page.html, /Vérifiez que vous avez copié le lien en entier/);
        assert.match(page.html, /recommencez la création de votre compte électeur/);
        assert.doesNotMatch(page.html, /<script>|alert\(1\)|passwd/);
      });
    }
  });

  describe('GET: the page shows the request and asks for the password, and changes nothing', () => {
    it('shows when and from where the request was made, one masked field, the token only in the form', async () => {
      const link = await linkFor('paul.langevin@ac-paris.fr');
      const token = tokenOf(link);
      const page = await open(link);
      assert.equal(page.status, 200);
      assertSafeFrenchPage({ ...page, html: page.html.replace(token, '') }, token);
      assert.equal(page.html.split(token).length - 1, 1, 'the token appears once, in the hidden field');
      assert.match(page.html, /<h1>Confirmez votre compte électeur<\/h1>/);
      assert.match(page.html, frenchDate('le jeudi 20 novembre 2014 à 9 h'));
      assert.match(page.html, /\(heure de Paris\), depuis la discussion en ligne du site de l’académie\./);
      assert.match(page.html, /<form method="post" action="\/confirmation">/);
      assert.match(page.html, new RegExp(`<input type="hidden" name="jeton" value="${token}">`));
      assert.match(page.html, /<label for="mot-de-passe">Mot de passe électeur<\/label>/);
      assert.match(
        page.html,
        /<input type="password" id="mot-de-passe" name="password" autocomplete="current-password" required aria-describedby="aide-mot-de-passe">/,
      );
      assert.match(page.html, /<button type="submit">Confirmer mon compte électeur<\/button>/);
      assert.match(page.html, /sans le mot de passe choisi dans la conversation, personne ne peut confirmer/);
      assert.match(page.html, /Mot de passe oublié/);
      assert.match(page.html, /<a href="\/">Ouvrir l’Assistant électeur<\/a>/);
      assert.doesNotMatch(page.html, /<script/);
      assert.doesNotMatch(page.html, /plusieurs demandes/, 'one request: no warning');
    });

    it('changes nothing in Redis, however often the link is opened (GET or HEAD), and still confirms', async () => {
      const email = 'irene.joliot@ac-paris.fr';
      const link = await linkFor(email);
      const before = await dumpAccounts();
      for (let i = 0; i < 5; i += 1) assert.equal((await open(link)).status, 200);
      const head = await fetch(link, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.match(head.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(await head.text(), '');
      assert.deepEqual(await dumpAccounts(), before);
      assert.equal((await bot.app.accounts.status(email))?.status, 'pending');
      assert.equal((await confirmByLink(link, PASSWORD)).status, 200);
    });

    it('warns when the address had several requests in the last 48 hours', async () => {
      const email = 'emmy.noether@ac-paris.fr';
      await linkFor(email);
      const second = await linkFor(email);
      const page = await open(second);
      assert.equal(page.status, 200);
      assert.match(page.html, /Attention\u00a0: plusieurs demandes pour cette adresse/);
      assert.match(page.html, /2 demandes de compte ont été faites pour cette adresse depuis 48 heures/);
      assert.match(page.html, /role="note"/);
    });

    it('serves the form’s stylesheet', async () => {
      const css = await fetch(`${bot.url}/static/confirmation.css`);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
      assert.match(await css.text(), /\.warning/);
    });
  });

  describe('POST: the password chosen in the chat confirms', () => {
    it('confirms once (200), tells the chat, then the link says it was used (409)', async () => {
      const chat = bot.conversation('webchat');
      assert.match(await requestAccount(chat, 'marie.curie@ac-paris.fr', PASSWORD), SENT);
      const mail = await nextMail('marie.curie@ac-paris.fr');
      const link = linkIn(mail.text);
      const token = tokenOf(link);
      const confirmed = await submitConfirmation(link, token, PASSWORD);
      assert.equal(confirmed.status, 200);
      assert.ok(!confirmed.html.includes(token));
      assert.match(confirmed.html, /Votre compte électeur est confirmé/);
      assert.match(confirmed.html, /<a href="\/">Ouvrir l’Assistant électeur<\/a>/);
      await bot.connector.waitFor(
        (p) =>
          p.conversationId === chat.id && /Votre compte électeur est confirmé/.test(p.activity.text ?? ''),
      );

      const again = await open(link);
      assert.equal(again.status, 409);
      assertSafeFrenchPage(again, token);
      assert.match(again.html, /déjà été utilisé/);
      assert.equal((await submitConfirmation(link, token, PASSWORD)).status, 409);
    });

    it('refuses a wrong password (422, announced, field empty), then spends the link after 5 (410)', async () => {
      const link = await linkFor('sophie.germain@ac-paris.fr');
      const token = tokenOf(link);
      const wrong = 'Mauvais2014';
      for (let left = 4; left >= 1; left -= 1) {
        const page = await submitConfirmation(link, token, wrong);
        assert.equal(page.status, 422);
        assert.match(page.html, /<title>Le compte n’est pas confirmé – Confirmez votre compte électeur/);
        assert.match(page.html, /<h1>Confirmez votre compte électeur<\/h1>/);
        assert.match(page.html, /<div class="error" id="erreur" role="alert">/);
        assert.match(page.html, /ne correspond pas à celui choisi dans la conversation/);
        assert.match(
          page.html,
          left === 1 ? /Il vous reste 1 essai\./ : new RegExp(`Il vous reste ${left} essais\\.`),
        );
        assert.match(page.html, /aria-describedby="erreur aide-mot-de-passe" aria-invalid="true">/);
        assert.ok(!page.html.includes(wrong), 'what was typed is never sent back');
      }
      const spent = await submitConfirmation(link, token, wrong);
      assert.equal(spent.status, 410);
      assert.match(spent.html, /Trop d’essais pour ce lien/);
      assert.match(spent.html, /recommencez la création de votre compte électeur avec l’assistant/);
      assert.equal((await submitConfirmation(link, token, PASSWORD)).status, 410, 'even the right one now');
      assert.equal((await open(link)).status, 410);
      assert.equal((await bot.app.accounts.status('sophie.germain@ac-paris.fr'))?.status, 'pending');
    });

    it('asks again for an empty password without taking an attempt', async () => {
      const link = await linkFor('ada.byron@ac-paris.fr');
      const token = tokenOf(link);
      for (let i = 0; i < 6; i += 1) {
        const page = await submitConfirmation(link, token, '');
        assert.equal(page.status, 422);
        assert.match(page.html, /Saisissez le mot de passe électeur choisi dans la conversation/);
      }
      assert.equal((await submitConfirmation(link, token, PASSWORD)).status, 200);
    });

    it('answers a form it cannot read with a French page, and an unknown token as unknown', async () => {
      const post = (body: string, type = 'application/x-www-form-urlencoded') =>
        fetch(`${bot.url}/confirmation`, { method: 'POST', headers: { 'Content-Type': type }, body });
      const json = await post(JSON.stringify({ jeton: 'x', password: PASSWORD }), 'application/json');
      assert.equal(json.status, 415);
      assert.match(await json.text(), /Le formulaire reçu n’est pas valable/);
      assert.equal((await post(`password=${'A'.repeat(5000)}`)).status, 413);
      const unknown = await post(
        new URLSearchParams({ jeton: randomBytes(32).toString('base64url'), password: PASSWORD }).toString(),
      );
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /Ce lien de confirmation n’est pas valide/);
    });

    it('says « remplacé » (410) for a link replaced by a newer request from the same conversation', async () => {
      const email = 'lise.meitner@ac-paris.fr';
      const chat = bot.conversation('webchat');
      await requestAccount(chat, email, PASSWORD);
      const older = linkIn((await nextMail(email)).text);
      await requestAccount(chat, email, PASSWORD);
      const newer = linkIn((await nextMail(email)).text);
      assert.notEqual(tokenOf(older), tokenOf(newer));

      const replaced = await open(older);
      assert.equal(replaced.status, 410);
      assertSafeFrenchPage(replaced, tokenOf(older));
      assert.match(replaced.html, /Ce lien a été remplacé/);
      assert.match(replaced.html, /ouvrez le mail le plus récent/);
      assert.equal((await confirmByLink(newer, PASSWORD)).status, 200, 'the newer link works');
      assert.equal((await open(older)).status, 410, 'the older one still says « remplacé »');
    });

    it('says « une autre demande a déjà été confirmée » (409) to the other conversations’ links', async () => {
      const email = 'rosalind.franklin@ac-paris.fr';
      const first = await linkFor(email);
      const other = await linkFor(email);
      assert.equal((await confirmByLink(other, PASSWORD)).status, 200);
      const page = await open(first);
      assert.equal(page.status, 409);
      assertSafeFrenchPage(page, tokenOf(first));
      assert.match(page.html, /Une autre demande a déjà été confirmée/);
      assert.match(page.html, /contactez sans attendre l’assistance/);
      assert.equal((await submitConfirmation(first, tokenOf(first), PASSWORD)).status, 409);
    });

    it('says the helpdesk cancelled the request (410)', async () => {
      const email = 'hedy.lamarr@ac-paris.fr';
      const link = await linkFor(email);
      assert.deepEqual(await bot.app.accounts.cancel(email), { outcome: 'cancelled', count: 1 });
      const page = await open(link);
      assert.equal(page.status, 410);
      assert.match(page.html, /Cette demande a été annulée/);
      assert.match(page.html, /L’assistance de votre académie a annulé cette demande/);
      assert.equal((await submitConfirmation(link, tokenOf(link), PASSWORD)).status, 410);
    });
  });

  describe('expiry, by the application clock', () => {
    let clock: sinon.SinonFakeTimers | undefined;
    afterEach(() => {
      clock?.restore();
      clock = undefined;
    });

    /** Moves the application clock (CLOCK_NOW runs from the real Date) forward; timers stay real. */
    function advance(ms: number): void {
      clock = sinon.useFakeTimers({ now: Date.now() + ms, toFake: ['Date'], shouldAdvanceTime: true });
    }

    it('keeps a link valid just before 48 h', async () => {
      const link = await linkFor('pierre.curie@ac-paris.fr');
      advance(48 * HOUR - 5 * 60_000);
      assert.equal((await open(link)).status, 200);
      assert.equal((await confirmByLink(link, PASSWORD)).status, 200);
    });

    it('says « expiré » (410) after 48 h', async () => {
      const link = await linkFor('marie.sklodowska@ac-paris.fr');
      advance(48 * HOUR + 60_000);
      const page = await open(link);
      assert.equal(page.status, 410);
      assertSafeFrenchPage(page, tokenOf(link));
      assert.match(page.html, /Ce lien de confirmation a expiré/);
      assert.match(page.html, /écrivez «.recommencer.»/);
      assert.equal((await submitConfirmation(link, tokenOf(link), PASSWORD)).status, 410);
    });
  });
});

describe('/confirmation near the close of the account window', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let clock: sinon.SinonFakeTimers | undefined;

  before(async () => {
    // Two hours before the close: the 48 h link must stop at 4 Dec 2014 16:00 (Paris).
    bot = await startBot({ CLOCK_NOW: '2014-12-04T14:00:00+01:00' });
  });
  after(async () => {
    clock?.restore();
    await bot.close();
  });

  it('says « expiré » (410) once the window has closed, well before 48 h', async () => {
    assert.match(
      await requestAccount(bot.conversation('webchat'), 'emile.borel@ac-paris.fr', PASSWORD),
      SENT,
    );
    const [mail] = await bot.smtp.waitForMessages(1);
    assert.ok(mail);
    const link = linkIn(mail.text);
    clock = sinon.useFakeTimers({
      now: Date.now() + 2 * HOUR + 60_000,
      toFake: ['Date'],
      shouldAdvanceTime: true,
    });
    const page = await open(link);
    assert.equal(page.status, 410);
    assert.match(page.html, /expiré/);
  });
});
