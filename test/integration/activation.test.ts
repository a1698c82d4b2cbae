import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import {
  type BotHarness,
  type BotReply,
  confirmByLink,
  linkIn,
  startBot,
  textOf,
} from '../support/bot-harness';

const STRONG = 'Electeur2014';

function cardOf(replies: readonly BotReply[]) {
  return replies
    .flatMap((r) => r.attachments ?? [])
    .find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
}

describe('activation through /api/messages (real Redis, real SMTP)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  it('walks a teacher from the welcome to a confirmed account, with the masked card', async () => {
    const chat = bot.conversation('webchat');

    const welcome = await chat.join();
    assert.match(textOf(welcome), /Assistant électeur/);
    const menu = welcome.find((r) => r.suggestedActions)?.suggestedActions?.actions.map((a) => a.title);
    assert.deepEqual(menu, [
      'Créer mon compte électeur',
      'Dates importantes',
      'Je n’ai pas reçu le mail',
      'Aide',
    ]);

    assert.match(
      textOf(await chat.say('Créer mon compte électeur')),
      /Avez-vous déjà activé votre messagerie professionnelle\u00a0\?/,
    );

    const explanation = textOf(await chat.say('non'));
    assert.match(explanation, /https:\/\/webmail\.ac-paris\.fr/);
    assert.match(explanation, /NUMEN/);
    assert.match(explanation, /videz-la/);

    assert.match(textOf(await chat.say('Trouver mon identifiant')), /prénom et votre nom/);
    assert.match(textOf(await chat.say('Jean-Pierre Martin')), /`jmartin`/);
    assert.match(textOf(await chat.say('C’est fait, continuer')), /adresse de messagerie professionnelle/);

    assert.match(textOf(await chat.say('jean.martin@gmail.com')), /adresse personnelle/);
    assert.match(textOf(await chat.say('jean martin@ac-paris.fr')), /espace/);
    assert.match(textOf(await chat.say('jean.martin@ac-pari.fr')), /`jean\.martin@ac-paris\.fr`/);
    assert.match(
      textOf(await chat.say('oui')),
      /`jean\.martin@ac-paris\.fr`[\s\S]*Est-ce bien votre adresse/,
    );

    const passwordStep = await chat.say('oui');
    assert.match(textOf(passwordStep), /Retenez bien ce mot de passe/);
    assert.match(textOf(passwordStep), /NUMEN/);
    const card = cardOf(passwordStep);
    assert.ok(card, 'a masked password card on Web Chat');
    assert.equal(card.content.version, '1.5');
    const inputs = (card.content.body as Array<{ type: string; style?: string }>).filter(
      (b) => b.type === 'Input.Text',
    );
    assert.deepEqual(
      inputs.map((i) => i.style),
      ['password', 'password'],
    );

    const weak = textOf(await chat.submit({ action: 'password', password: 'abc', confirmation: 'abc' }));
    assert.match(weak, /moins de 8 caractères/);
    assert.match(weak, /une majuscule et un chiffre/);

    const mismatch = await chat.submit({ action: 'password', password: STRONG, confirmation: `${STRONG}x` });
    assert.match(textOf(mismatch), /différents/);
    assert.ok(cardOf(mismatch), 'the card is offered again');

    const sent = textOf(await chat.submit({ action: 'password', password: STRONG, confirmation: STRONG }));
    assert.match(sent, /jean\.martin@ac-paris\.fr/);
    assert.match(sent, /quelques minutes/);
    assert.match(sent, /samedi 22 novembre 2014 à 9\u00a0h/, 'link valid 48 h from the demo clock');

    const [mail] = await bot.smtp.waitForMessages(1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['jean.martin@ac-paris.fr']);
    assert.match(mail.subject, /compte électeur/i);
    assert.match(mail.html, /lang="fr"/);
    const link = linkIn(mail.text);

    // Opening the link only shows the form: the password chosen in the chat confirms.
    const form = await fetch(link);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /Mot de passe électeur/);
    assert.equal((await bot.app.accounts.status('jean.martin@ac-paris.fr'))?.status, 'pending');
    const page = await confirmByLink(link, STRONG);
    assert.equal(page.status, 200);
    const html = page.html;
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Votre compte électeur est confirmé/);

    const proactive = await bot.connector.waitFor((p) => p.conversationId === chat.id);
    assert.match(proactive.activity.text ?? '', /Votre compte électeur est confirmé/);

    const again = await fetch(link);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /déjà été utilisé/);

    // No secret in clear anywhere in Redis: not the password, not the token of the link.
    const token = decodeURIComponent(new URL(link).searchParams.get('jeton') ?? '');
    for (const key of await bot.redis.keys()) {
      const type = await bot.redis.redis.type(key);
      const dump =
        type === 'string'
          ? await bot.redis.redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await bot.redis.redis.hgetall(key))
            : type === 'zset'
              ? JSON.stringify(await bot.redis.redis.zrange(key, '0', '-1'))
              : type === 'list'
                ? JSON.stringify(await bot.redis.redis.lrange(key, 0, -1))
                : JSON.stringify(await bot.redis.redis.smembers(key));
      assert.ok(!dump?.includes(STRONG), `password in clear in ${key}`);
      assert.ok(!dump?.includes(token), `token in clear in ${key}`);
    }
  });

  it('takes the password typed twice on a text-only channel, and never keeps it in state', async () => {
    const chat = bot.conversation('cli');
    const welcome = textOf(await chat.join());
    assert.match(
      welcome,
      /1\. Créer mon compte électeur/,
      'choices listed as text where buttons do not render',
    );
    await chat.say('1');
    await chat.say('oui');
    await chat.say('Marie.Curie@AC-PARIS.FR ');
    assert.match(textOf(await chat.say('oui')), /Écrivez votre mot de passe électeur/);
    assert.match(textOf(await chat.say('motdepasse')), /il manque une majuscule et un chiffre/);
    assert.match(textOf(await chat.say('Radium1898')), /seconde fois/);
    assert.match(textOf(await chat.say('Radium1899')), /différents/);
    await chat.say('Radium1898');
    assert.match(textOf(await chat.say('Radium1898')), /marie\.curie@ac-paris\.fr/);

    const mails = await bot.smtp.waitForMessages(2);
    assert.ok(mails.some((m) => m.to.includes('marie.curie@ac-paris.fr')));
    for (const key of await bot.redis.keys()) {
      if ((await bot.redis.redis.type(key)) !== 'string') continue;
      assert.ok(!(await bot.redis.redis.get(key))?.includes('Radium189'), `password in ${key}`);
    }
  });

  it('answers « aide », « annuler » and « recommencer » at any step, and warns about a NUMEN', async () => {
    const chat = bot.conversation('cli');
    await chat.join();
    await chat.say('créer mon compte');
    await chat.say('oui');
    const help = textOf(await chat.say('aide'));
    assert.match(help, /À tout moment/);
    assert.match(help, /adresse de messagerie professionnelle/, 'the current question is asked again');

    const numen = textOf(await chat.say('mon numen est 01E9501234ABC'));
    assert.match(numen, /Ne le tapez jamais dans cette conversation/);
    assert.doesNotMatch(numen, /01E9501234ABC/);
    for (const key of await bot.redis.keys()) {
      if ((await bot.redis.redis.type(key)) !== 'string') continue;
      assert.ok(!(await bot.redis.redis.get(key))?.includes('01E9501234ABC'), `NUMEN in ${key}`);
    }

    assert.match(textOf(await chat.say('recommencer')), /Avez-vous déjà activé/);
    assert.match(textOf(await chat.say('annuler')), /j’arrête ici/);
    // Already welcomed: a greeting gets the short answer and the choices (issue 12).
    assert.match(textOf(await chat.say('bonjour')), /Que souhaitez-vous faire/);
  });

  it('keeps prompts in French when the client sends another locale', async () => {
    const chat = bot.conversation('cli', { locale: 'en-US' });
    await chat.join();
    const replies = await chat.say('Créer mon compte électeur');
    assert.match(textOf(replies), /Oui/);
    assert.doesNotMatch(textOf(replies), /\bYes\b|\bor\b/);
    assert.ok(replies.every((r) => r.locale === 'fr-FR'));
  });

  it('lets the teacher come back later to the same step (state in Redis)', async () => {
    const chat = bot.conversation('webchat');
    await chat.join();
    await chat.say('Créer mon compte électeur');
    await chat.say('non');
    assert.match(textOf(await chat.say('Je reviendrai plus tard')), /je garde votre progression/);
    const back = textOf(await chat.join());
    assert.match(back, /Bon retour/);
    assert.match(back, /Que souhaitez-vous faire maintenant/);
    assert.match(textOf(await chat.say('C’est fait, continuer')), /adresse de messagerie professionnelle/);
  });
});
