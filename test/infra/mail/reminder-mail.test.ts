import assert from 'node:assert/strict';
import { createTokenSealer } from '../../../src/domain/accounts/tokens';
import { renderMail } from '../../../src/infra/mail/templates';
import { InvalidRecipientError } from '../../../src/infra/mail/transport';

const ctx = {
  publicBaseUrl: 'https://assistant.ac-paris.fr',
  sealer: createTokenSealer('reminder mail test secret'),
  timeZone: 'Europe/Paris',
  electionName: 'Élections professionnelles 2014',
};
/** Asked on 20 November 2014 at 9 h, link valid until 22 November at 9 h (Paris). */
const REQUESTED = Date.parse('2014-11-20T09:00:00+01:00');
const EXPIRES = Date.parse('2014-11-22T09:00:00+01:00');
const mail = {
  kind: 'reminder',
  to: 'jeanne.martin@ac-paris.fr',
  requestedAt: REQUESTED,
  expiresAt: EXPIRES,
} as const;
const plain = (text: string) => text.normalize('NFC').replace(/[\u00a0\u202f]/g, ' ');

describe('mail templates: the unconfirmed account reminder (issue 15)', () => {
  it('says when the first mail left, until when its link works, and what to do, without a link', () => {
    const rendered = renderMail(mail, ctx);
    assert.equal(rendered.to, 'jeanne.martin@ac-paris.fr');
    assert.equal(rendered.link, undefined);
    assert.match(
      plain(rendered.subject),
      /Élections professionnelles 2014 : votre compte électeur attend sa confirmation/,
    );
    const text = plain(rendered.text);
    assert.match(text, /Le jeudi 20 novembre 2014 à 9 h \(heure de Paris\), une demande de compte électeur/);
    assert.match(text, /valable jusqu’au samedi 22 novembre 2014 à 9 h \(heure de Paris\)\./);
    assert.match(text, /Courriers indésirables/);
    assert.match(text, /quota/);
    assert.match(text, /renvoyer le mail/);
    assert.doesNotMatch(text, /jeton|https:\/\/assistant\.ac-paris\.fr\/confirmation/);
    assert.match(text, /donnees-personnelles/, 'every mail says where the privacy notice is');
    assert.match(rendered.html, /<html lang="fr">/);
    assert.match(
      plain(rendered.html),
      /<strong>Le lien de ce mail est valable jusqu’au samedi 22 novembre 2014/,
    );
  });

  it('gives the local time as well for an académie outside Paris time', () => {
    const text = plain(renderMail(mail, { ...ctx, timeZone: 'Indian/Reunion' }).text);
    assert.match(
      text,
      /jusqu’au samedi 22 novembre 2014 à 9 h \(heure de Paris\), soit le samedi 22 novembre 2014 à 12 h \(heure locale\)/,
    );
  });

  it('refuses a recipient that is not one address', () => {
    assert.throws(
      () => renderMail({ ...mail, to: 'a@ac-paris.fr, b@ac-paris.fr' }, ctx),
      InvalidRecipientError,
    );
  });
});
