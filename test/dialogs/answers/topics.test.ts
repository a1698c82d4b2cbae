import assert from 'node:assert/strict';
import path from 'node:path';
import { type AnswerContext, answer, PRIVACY_NOTICE_PATH } from '../../../dialogs/answers';
import type { Intent } from '../../../src/domain/understanding/intents';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));
const CTX: AnswerContext = {
  calendar,
  now: new Date('2014-11-20T09:00:00+01:00'),
  webmailUrl: 'https://webmail.example-academie.fr',
};
const say = (intent: Intent, text: string) => {
  const messages = answer(intent, text, CTX);
  assert.ok(messages && messages.length > 0, `${intent}: ${text}`);
  return messages.join('\n');
};
const q = (text: string) => `«${NBSP}${text}${NBSP}»`;

describe('answers about the other topics', () => {
  it('leaves start_activation, greeting and help to the dialogs', () => {
    for (const intent of ['start_activation', 'greeting', 'help'] as const) {
      assert.equal(answer(intent, 'bonjour', CTX), undefined);
    }
  });

  describe('webmail_help', () => {
    it('the general answer: webmail address, login rule, homonyms, NUMEN, address ≠ login, full mailbox', () => {
      const text = say('webmail_help', 'Je n’ai jamais utilisé ma messagerie académique, comment je fais ?');
      assert.ok(text.includes('https://webmail.example-academie.fr'), text);
      assert.ok(text.includes('`jdupont`') && text.includes('`jdupont1`'), text);
      assert.ok(text.includes('NUMEN') && text.includes('Ne l’écrivez jamais dans cette conversation'), text);
      assert.ok(text.includes('Votre adresse n’est pas votre identifiant'), text);
      assert.ok(text.includes('pleine'), text);
      assert.ok(text.includes('secrétariat'), text);
      assert.ok(
        text.endsWith(`Une fois votre messagerie ouverte, écrivez ${q('créer mon compte')} pour continuer.`),
      );
    });

    it('accents: check the address shown in the webmail, or ask the secretariat', () => {
      const text = say('webmail_help', 'Mon nom a un accent, est-ce que je mets l’accent dans l’adresse ?');
      assert.ok(text.includes('recopiez l’adresse qui y est affichée'), text);
      assert.ok(text.includes('secrétariat'), text);
    });

    it('other académies work the same, with their own webmail', () => {
      const text = say('webmail_help', 'Je suis prof à Créteil, pas à Paris, ça marche pareil pour moi ?');
      assert.ok(text.startsWith('Oui, cela fonctionne de la même façon dans les autres académies'), text);
    });

    it('the initial password is the NUMEN, typed on the webmail only', () => {
      const text = say('webmail_help', 'Le mot de passe du webmail au départ c’est quoi ?');
      assert.ok(text.startsWith('Au départ, le mot de passe du webmail est votre NUMEN'), text);
      assert.ok(text.includes('jamais dans cette conversation'), text);
    });

    it('a forgotten webmail password goes to the académie', () => {
      const text = say('webmail_help', 'J’ai oublié mon mot de passe de messagerie académique');
      assert.ok(text.includes('assistance informatique de votre académie'), text);
    });

    it('address, login, full mailbox', () => {
      assert.ok(
        say('webmail_help', 'Quelle est mon adresse email académique ?').includes(
          'Ce n’est pas votre identifiant',
        ),
      );
      assert.ok(
        say('webmail_help', 'mon identifiant c bien la 1ere lettre du prenom + le nom ?').startsWith(
          'Votre identifiant de messagerie est en général la première lettre',
        ),
      );
      assert.ok(say('webmail_help', 'ma boîte est pleine').includes('quota dépassé'));
    });
  });

  describe('mail_not_received', () => {
    it('few minutes, « Courriers indésirables », full mailbox, typo, then « recommencer »', () => {
      const text = say('mail_not_received', 'ça fait une heure que j’attends le mail');
      assert.ok(text.includes('quelques minutes'), text);
      assert.ok(text.includes(q('Courriers indésirables')), text);
      assert.ok(text.includes('pleine'), text);
      assert.ok(text.includes('Vérifiez l’adresse'), text);
      assert.ok(
        text.endsWith(`écrivez ${q('recommencer')}${NBSP}: le lien précédent ne fonctionnera plus.`),
        text,
      );
    });

    it('a personal address, a lost mail', () => {
      assert.ok(
        say('mail_not_received', 'J’ai mis mon adresse gmail au lieu de l’adresse pro').includes(
          'jamais vers une adresse personnelle',
        ),
      );
      assert.ok(
        say('mail_not_received', 'Si j’ai perdu ou supprimé le mail, je fais quoi ?').includes('recommencer'),
      );
    });
  });

  it('password_rules: 8 characters, upper, lower, digit, no special character required, not the NUMEN', () => {
    const text = say('password_rules', 'Faut-il un caractère spécial dans le mot de passe ?');
    assert.ok(text.includes(`au moins 8 caractères, dont une majuscule, une minuscule et un chiffre`), text);
    assert.ok(text.includes('pas obligatoire'), text);
    assert.ok(text.includes('ni votre NUMEN ni le mot de passe de votre messagerie'), text);
    assert.ok(
      say('password_rules', 'Mon mot de passe est refusé, pourquoi ?').startsWith(
        'Un mot de passe est refusé',
      ),
    );
  });

  it('password_rules follows the election file: 12 characters and a special one required in 2022', () => {
    const calendar2022 = loadCalendar(
      path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2022-example.json'),
    );
    const messages = answer('password_rules', 'Quelles sont les règles du mot de passe ?', {
      ...CTX,
      calendar: calendar2022,
      now: new Date('2022-11-21T09:00:00+01:00'),
    });
    const text = (messages ?? []).join('\n');
    assert.ok(
      text.startsWith(
        `Votre mot de passe électeur doit compter au moins 12 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (par exemple${NBSP}!${NBSP}? # ou @).`,
      ),
      text,
    );
    assert.ok(!text.includes('pas obligatoire'), text);
    assert.ok(!text.includes('8 caractères'), text);
  });

  it('forgot_password: the portal’s « Mot de passe oublié » link, then the helpdesk', () => {
    const text = say('forgot_password', 'J’ai oublié mon mot de passe électeur');
    assert.ok(text.includes(q('Mot de passe oublié')), text);
    assert.ok(text.includes('assistance de votre académie'), text);
    const blocked = say(
      'forgot_password',
      'Je me suis trompé de mot de passe trois fois, mon compte est bloqué ?',
    );
    assert.ok(blocked.startsWith('Je ne vois pas l’état de votre compte électeur'), blocked);
  });

  describe('numen_question', () => {
    it('what it is, never to share, never asked, where to get it', () => {
      const text = say('numen_question', 'C’est quoi le NUMEN ?');
      assert.ok(text.includes('numéro d’identification de l’Éducation nationale'), text);
      // The webmail step's own rule (issue 11): typed on the webmail page only, never « ni ici ni ailleurs ».
      assert.ok(text.includes('Tapez-le seulement sur la page du webmail de votre académie'), text);
      assert.ok(!text.includes('ailleurs'), text);
      assert.ok(text.includes('je ne vous le demanderai jamais'), text);
      assert.ok(text.includes('service de gestion'), text);
      assert.ok(say('numen_question', 'J’ai perdu mon NUMEN').startsWith('Pour le retrouver'));
    });

    it('never repeats a NUMEN the teacher typed, whatever the intent', () => {
      const numen = '01E0912345ABC';
      for (const intent of [
        'numen_question',
        'webmail_help',
        'ask_vote_close',
        'ask_now_status',
        'smalltalk',
        'off_topic',
      ] as const) {
        for (const typed of [numen, '01 E 09 12345 ABC']) {
          const text = say(intent, `Mon NUMEN c’est ${typed}, vous pouvez vérifier ?`);
          assert.ok(!text.includes(typed), `${intent}: ${text}`);
          assert.ok(!text.replace(/\s/g, '').includes(numen), `${intent}: ${text}`);
          assert.ok(!/\b0?9\b.*12345|12345|ABC/.test(text), `${intent}: ${text}`);
        }
      }
      assert.ok(say('numen_question', `Mon NUMEN c’est ${numen}`).startsWith('Je ne vérifie pas les NUMEN'));
    });
  });

  it('ask_vote_credentials: the notice (identifiant, by 12 Nov 2014 or by post) and the password created', () => {
    const text = say(
      'ask_vote_credentials',
      'C’est quoi l’identifiant de vote, c’est différent du mot de passe ?',
    );
    assert.ok(text.includes('notice de vote'), text);
    assert.ok(text.includes('12 novembre 2014'), text);
    assert.ok(text.includes('par la poste'), text);
    assert.ok(text.includes('celui que vous avez choisi en créant votre compte électeur'), text);
    assert.ok(say('ask_vote_credentials', 'je n’ai pas reçu ma notice').includes('secrétariat'));
  });

  it('ask_eligibility: everyone, contractuels and staff on leave too; precise cases to « Mes scrutins »', () => {
    const text = say('ask_eligibility', 'Qui a le droit de voter ?');
    assert.ok(text.includes('contractuels'), text);
    assert.ok(text.includes('en congé'), text);
    assert.ok(text.includes(q('Mes scrutins')), text);
    assert.ok(text.includes('rectorat'), text);
  });

  it('ask_eligibility: the situation named comes first, never as an absolute (issue 11)', () => {
    const leave = say('ask_eligibility', 'Je suis en congé maternité, est-ce que je peux voter ?');
    assert.ok(leave.startsWith('En règle générale, oui'), leave);
    assert.ok(leave.includes('en congé ou en arrêt maladie'), leave);
    const trainee = say('ask_eligibility', 'je suis stagiaire, je vote aussi ?');
    assert.ok(trainee.includes('les stagiaires votent'), trainee);
    for (const who of ['je suis AESH, je peux voter ?', 'Les contractuels votent ?', 'je suis AED']) {
      const contract = say('ask_eligibility', who);
      assert.ok(contract.startsWith('En règle générale, oui'), contract);
      assert.ok(contract.includes('conditions (durée du contrat, ancienneté)'), contract);
    }
    for (const answer of [leave, trainee]) assert.ok(answer.includes(q('Mes scrutins')), answer);
  });

  it('ask_vote_credentials: « elle devait arriver quand cette notice ? » gets its day (issue 11)', () => {
    const text = say('ask_vote_credentials', 'elle devait arriver quand cette notice ?');
    assert.ok(text.includes('au plus tard le mercredi 12 novembre 2014'), text);
    assert.ok(text.includes('secrétariat'), text);
    assert.ok(!text.includes('Pour voter, il vous faut deux éléments'), text);
  });

  it('privacy: two short lines and the notice page, with the bot’s address when known (issue 11)', () => {
    assert.equal(PRIVACY_NOTICE_PATH, '/donnees-personnelles');
    const bare = say('privacy', 'que faites-vous de mes données ?');
    assert.ok(bare.endsWith(`droits${NBSP}: ${PRIVACY_NOTICE_PATH}`), bare);
    const linked = answer('privacy', 'RGPD ?', { ...CTX, baseUrl: 'https://bot.example' })?.join('\n') ?? '';
    assert.ok(linked.includes('https://bot.example/donnees-personnelles'), linked);
    assert.ok(linked.includes('jamais conservé en clair'), linked);
  });

  describe('smalltalk', () => {
    it('« êtes-vous un robot ? » → yes, an automatic assistant', () => {
      assert.ok(say('smalltalk', 'êtes-vous un robot ?').startsWith('Oui, je suis un assistant automatique'));
      assert.ok(
        say('smalltalk', 'je parle à un humain ?').startsWith('Oui, je suis un assistant automatique'),
      );
    });
    it('thanks, goodbye, « ça va ? »', () => {
      assert.ok(say('smalltalk', 'Merci beaucoup !').startsWith('Avec plaisir.'));
      assert.ok(say('smalltalk', 'Au revoir').startsWith('Au revoir'));
      assert.ok(say('smalltalk', 'ça va ?').startsWith('Merci de demander'));
      assert.ok(say('smalltalk', 'ok').includes('aide'));
    });
  });

  describe('off_topic', () => {
    it('a polite scope statement listing what the bot does', () => {
      const text = say('off_topic', 'Comment je demande ma mutation ?');
      assert.ok(text.startsWith('Je ne peux pas vous aider sur ce sujet'), text);
      assert.ok(text.includes('1. vous aider à créer votre compte électeur'), text);
      assert.ok(text.includes('secrétariat'), text);
    });

    it('which union to vote for: strictly neutral, no name, no opinion', () => {
      const unions = /\b(snes|fsu|unsa|cfdt|sgen|cgt|fo|sud|snalc|snuipp)\b/i;
      for (const text of [
        'Je vote pour quel syndicat ?',
        'Vous me conseillez le SNES ou le SE-UNSA ?',
        'pour qui voter aux élections pro',
        'c’est quoi la meilleure liste ?',
      ]) {
        const reply = say('off_topic', text);
        assert.ok(reply.startsWith('Je ne donne aucun conseil de vote'), `${text} → ${reply}`);
        assert.ok(reply.includes('professions de foi'), reply);
        assert.doesNotMatch(reply, unions);
      }
    });
  });
});
