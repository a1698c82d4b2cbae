import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { OutboxMail, TokenSealer } from '../../../src/domain/accounts/ports';
import { createTokenSealer, newToken } from '../../../src/domain/accounts/tokens';
import { LOCALES_DIR } from '../../../src/infra/files/locales';
import { confirmationLink, renderMail, UnsealableTokenError } from '../../../src/infra/mail/templates';
import { InvalidRecipientError } from '../../../src/infra/mail/transport';

const NBSP = '\u00a0';
const sealer = createTokenSealer('templates test secret');
/** 4 December 2014, 16 h in Paris: the close of the account window. */
const EXPIRES = Date.UTC(2014, 11, 4, 15, 0, 0);
const ctx = {
  publicBaseUrl: 'https://assistant.ac-paris.fr',
  sealer,
  timeZone: 'Europe/Paris',
  electionName: 'Élections professionnelles 2014',
};

function confirmation(token: string, overrides: Partial<OutboxMail> = {}): OutboxMail {
  return {
    kind: 'confirmation',
    to: 'jeanne.martin@ac-paris.fr',
    sealedToken: sealer.seal(token),
    expiresAt: EXPIRES,
    ...overrides,
  } as OutboxMail;
}

describe('mail templates', () => {
  describe('confirmation', () => {
    it('links to /confirmation with the token, in both parts', () => {
      const token = newToken();
      const mail = renderMail(confirmation(token), ctx);
      const link = `https://assistant.ac-paris.fr/confirmation?jeton=${token}`;
      assert.equal(mail.link, link);
      assert.equal(mail.to, 'jeanne.martin@ac-paris.fr');
      assert.ok(mail.text.split('\n').includes(link), 'the link is on its own line in the text part');
      assert.ok(mail.html.includes(`<a href="${link}"`));
      assert.ok(mail.html.includes(`>${link}</a></p>`), 'the link is written out in full in the HTML part');
    });

    it('encodes the token and tolerates a trailing slash in the base URL', () => {
      const odd: TokenSealer = { seal: (t) => t, unseal: () => 'a+b/c=d&e' };
      const mail = renderMail(confirmation('x', { sealedToken: 'x' }), {
        ...ctx,
        sealer: odd,
        publicBaseUrl: 'https://bot.example.fr/',
      });
      assert.equal(mail.link, 'https://bot.example.fr/confirmation?jeton=a%2Bb%2Fc%3Dd%26e');
      assert.equal(
        confirmationLink('http://localhost:3978//', 'abc'),
        'http://localhost:3978/confirmation?jeton=abc',
      );
    });

    it('speaks French: subject, deadline in Paris time, password reminder, what to do if not asked', () => {
      const token = newToken();
      const mail = renderMail(confirmation(token), ctx);
      assert.equal(mail.subject, `Élections professionnelles 2014${NBSP}: confirmez votre compte électeur`);
      for (const part of [mail.text, mail.html]) {
        assert.ok(
          part.includes(
            'Une demande de création de compte électeur (Élections professionnelles 2014) a été faite avec votre adresse professionnelle.',
          ),
          part,
        );
        assert.ok(part.includes(`jeudi 4 décembre 2014 à 16${NBSP}h (heure de Paris)`), part);
        assert.ok(
          part.includes(
            'la page vous demandera le mot de passe électeur que vous avez choisi dans la conversation',
          ),
        );
        assert.ok(part.includes(`Retenez-le bien${NBSP}: c’est celui qui vous servira à voter.`));
        assert.ok(part.includes(`Ne le communiquez jamais, à personne${NBSP}:`));
        assert.ok(part.includes(`Vous n’avez fait aucune demande${NBSP}?`));
        assert.ok(
          part.includes(
            `Ne faites rien${NBSP}: sans le mot de passe choisi dans la conversation, personne ne peut confirmer ce compte.`,
          ),
        );
        assert.ok(part.includes('assistance de votre académie'));
        assert.ok(part.includes('Vous avez oublié le mot de passe choisi'));
        assert.ok(part.includes('Bonjour,'));
      }
      assert.match(mail.html, /<html lang="fr">/);
      assert.match(mail.html, /<a href="[^"]+"[^>]*>Confirmer mon compte électeur<\/a>/);
      assert.ok(!/cliquez ici/i.test(mail.html));
    });

    it('names the election of the file in the subject and the first lines', () => {
      const mail = renderMail(confirmation(newToken()), {
        ...ctx,
        electionName: 'Élections professionnelles 2022',
      });
      assert.equal(mail.subject, `Élections professionnelles 2022${NBSP}: confirmez votre compte électeur`);
      assert.ok(mail.text.includes('(Élections professionnelles 2022)'));
      assert.ok(!mail.subject.includes('2014') && !mail.text.includes('professionnelles 2014'));
    });

    it('keeps a line break in the election name out of the subject header', () => {
      const mail = renderMail(confirmation(newToken()), { ...ctx, electionName: 'Élections\r\nBcc: x@y.fr' });
      assert.doesNotMatch(mail.subject, /[\r\n]/);
    });

    it('adds the local time when the calendar is not in Paris time', () => {
      const mail = renderMail(confirmation(newToken()), { ...ctx, timeZone: 'Indian/Reunion' });
      assert.ok(
        mail.text.includes(
          `jeudi 4 décembre 2014 à 16${NBSP}h (heure de Paris), soit le jeudi 4 décembre 2014 à 19${NBSP}h (heure locale)`,
        ),
        mail.text,
      );
    });

    it('keeps the token out of the subject and the recipient', () => {
      const token = newToken();
      const mail = renderMail(confirmation(token), ctx);
      assert.ok(!mail.subject.includes(token));
      assert.ok(!mail.to.includes(token));
    });

    it('refuses, with a clear error, a token sealed with another key', () => {
      const other = createTokenSealer('another key');
      const mail = confirmation('x', { sealedToken: other.seal(newToken()) });
      assert.throws(
        () => renderMail(mail, ctx),
        (error: unknown) => {
          return error instanceof UnsealableTokenError && /unsealed/.test(error.message);
        },
      );
    });
  });

  describe('already confirmed', () => {
    it('says the account exists, gives no link, and says who helps with a forgotten password', () => {
      const mail = renderMail({ kind: 'already-confirmed', to: 'jeanne.martin@ac-paris.fr' }, ctx);
      assert.equal(mail.subject, `Élections professionnelles 2014${NBSP}: votre compte électeur existe déjà`);
      assert.equal(mail.link, undefined);
      for (const part of [mail.text, mail.html]) {
        assert.ok(part.includes('existe déjà'));
        assert.ok(part.includes('assistance de votre académie'));
        assert.ok(part.includes('oublié ce mot de passe'));
        assert.ok(!part.includes('/confirmation'));
        assert.ok(!part.includes('Confirmer mon compte'));
      }
      assert.match(mail.html, /<html lang="fr">/);
    });
  });

  describe('safety', () => {
    it('escapes every interpolated value in HTML', () => {
      const hostile = '"><script>alert(1)</script>';
      const mail = renderMail(confirmation(newToken()), {
        ...ctx,
        publicBaseUrl: `https://x.fr/?a=1&b=${hostile}`,
      });
      assert.ok(!mail.html.includes('<script>'));
      assert.ok(mail.html.includes('&lt;script&gt;'));
      assert.ok(mail.html.includes('?a=1&amp;b=&quot;&gt;'));
    });

    it('refuses a recipient that is not one plain address, so that no header nor recipient can be injected', () => {
      // Stripping CR/LF alone would leave the group « … Bcc: espion@example.com », sent to the spy only.
      const to = 'jeanne.martin@ac-paris.fr\r\nBcc: espion@example.com';
      assert.throws(() => renderMail(confirmation(newToken(), { to }), ctx), InvalidRecipientError);
      assert.throws(() => renderMail({ kind: 'already-confirmed', to }, ctx), InvalidRecipientError);
    });
  });

  describe('locales/fr/mail.json', () => {
    const catalog = JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, 'mail.json'), 'utf8')) as unknown;
    const strings: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') strings.push(node);
      else if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(catalog);

    it('follows the typography of the style guide', () => {
      assert.ok(strings.length > 10);
      for (const s of strings) {
        assert.ok(!s.includes("'"), `typographic apostrophe expected: ${s}`);
        assert.ok(!/ [:;!?»]/.test(s), `non-breaking space expected before : ; ! ? »: ${s}`);
        assert.ok(
          !/\S[:;!?]/.test(s.replace(/\{[^}]*\}/g, '')) || /https?:/.test(s),
          `space expected before : ; ! ?: ${s}`,
        );
        assert.ok(!/« /.test(s), `non-breaking space expected after «: ${s}`);
      }
    });

    it('uses vouvoiement', () => {
      for (const s of strings) assert.ok(!/(?<!\p{L})(tu|ton|ta|tes|toi|te)(?!\p{L})/iu.test(s), s);
    });
  });
});
