import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { type BotHarness, linkIn, startBot } from '../support/bot-harness';
import { requestAccount, SENT } from '../support/walk';

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

describe('GET /confirmation (real server, real Redis, real SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;
  let mailCount = 0;

  /** Requests an account through the chat and returns the link of its mail. */
  async function linkFor(email: string): Promise<string> {
    assert.match(await requestAccount(bot.conversation('webchat'), email, PASSWORD), SENT);
    mailCount += 1;
    const mails = await bot.smtp.waitForMessages(mailCount);
    const mail = mails.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.to, [email]);
    return linkIn(mail.text);
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

  it('confirms once (200), then says the link was used (409)', async () => {
    const link = await linkFor('paul.langevin@ac-paris.fr');
    const token = tokenOf(link);
    const first = await open(link);
    assert.equal(first.status, 200);
    assertSafeFrenchPage(first, token);
    assert.match(first.html, /Votre compte électeur est confirmé/);

    const second = await open(link);
    assert.equal(second.status, 409);
    assertSafeFrenchPage(second, token);
    assert.match(second.html, /déjà été utilisé/);
    assert.match(second.html, /vous n’avez rien d’autre à faire/);
  });

  it('says « remplacé » (410) for a link replaced by a newer request for the same pending address', async () => {
    const email = 'irene.joliot@ac-paris.fr';
    const older = await linkFor(email);
    const newer = await linkFor(email);
    assert.notEqual(tokenOf(older), tokenOf(newer));

    const replaced = await open(older);
    assert.equal(replaced.status, 410);
    assertSafeFrenchPage(replaced, tokenOf(older));
    assert.match(replaced.html, /remplacé/);
    assert.match(replaced.html, /Ouvrez le mail le plus récent/);

    assert.equal((await open(newer)).status, 200, 'the newer link works');
    assert.equal((await open(older)).status, 410, 'the older one still says « remplacé »');
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
    });

    it('says « expiré » (410) after 48 h', async () => {
      const link = await linkFor('marie.sklodowska@ac-paris.fr');
      advance(48 * HOUR + 60_000);
      const page = await open(link);
      assert.equal(page.status, 410);
      assertSafeFrenchPage(page, tokenOf(link));
      assert.match(page.html, /Ce lien de confirmation a expiré/);
      assert.match(page.html, /écrivez «.recommencer.»/);
    });
  });
});

describe('GET /confirmation near the close of the account window', function () {
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
