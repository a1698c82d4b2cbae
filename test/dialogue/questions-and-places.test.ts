import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';

/**
 * Issue 11, items 5, 6 and 8 (answers): whole conversations over /api/messages, real Redis, the app
 * clock set by CLOCK_NOW, messages written the way teachers write them. Each test failed before the
 * change it covers.
 */

const H = '\\s?h';
/** A French date-time, whatever the (non-breaking) spaces: « jeudi 4 décembre 2014 à 17 h ». */
const at = (text: string) => new RegExp(text.replace(/ /g, '\\s').replace(/(\d)\\sh/g, `$1${H}`));

describe('dialogue: everyday questions, places and texts (issue 11)', function () {
  this.timeout(30_000);

  describe('on the last day, at 16 h 35 (account creation closed at 16 h, vote open until 17 h)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-12-04T16:35:00+01:00' });
    });
    after(async () => bot.close());

    it('« je rate le vote alors ? » → non, the vote is open until 17 h, 25 minutes left', async () => {
      const text = textOf(await bot.conversation('webchat').say('je rate le vote alors ?'));
      assert.match(text, /^Non\s:\sle vote est ouvert jusqu’au /);
      assert.match(text, at('jeudi 4 décembre 2014 à 17 h'));
      // The app clock runs from CLOCK_NOW: 25 minutes, or 24 once the bot has started.
      assert.match(text, /Il vous reste 2[45]\sminutes pour voter/);
    });

    it('« c’est trop tard pour créer mon compte ? » → oui, but the vote stays open', async () => {
      const text = textOf(await bot.conversation('webchat').say('c’est trop tard pour créer mon compte ?'));
      assert.match(text, /^Oui\s:\sla création des comptes électeurs est close depuis/);
      assert.match(text, at('jeudi 4 décembre 2014 à 16 h'));
      assert.match(text, /Le vote, lui, reste ouvert jusqu’au/);
    });
  });

  describe('on the last day, at 17 h 10', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-12-04T17:10:00+01:00' });
    });
    after(async () => bot.close());

    it('« je rate le vote alors ? » → oui, the vote is closed', async () => {
      const text = textOf(await bot.conversation('webchat').say('je rate le vote alors ?'));
      assert.match(text, /^Oui\s:\sle vote est clos depuis le /);
      assert.match(text, at('jeudi 4 décembre 2014 à 17 h'));
    });
  });

  describe('a week before the vote (20 November 2014)', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-11-20T09:00:00+01:00' });
    });
    after(async () => bot.close());

    it('« est ce que c obligatoire de voter ? » → no, a right; with the real dates', async () => {
      const text = textOf(await bot.conversation('webchat').say('est ce que c obligatoire de voter ?'));
      assert.match(text, /^Non\s:\svoter n’est pas obligatoire, c’est un droit\./);
      assert.match(text, at('jeudi 27 novembre 2014 à 10 h'));
    });

    it('« on peut voter 24h/24 ? » is not a date: any hour, nights and week-ends, the real window', async () => {
      const text = textOf(await bot.conversation('webchat').say('on peut voter 24h/24 ?'));
      assert.match(text, /à toute heure, de jour comme de nuit, en semaine comme le week-end/);
      assert.match(text, at('du jeudi 27 novembre 2014 à 10 h'));
      assert.doesNotMatch(text, /vendredi 21 novembre/);
    });

    it('« le dimanche » is a habit, not next Sunday; « dimanche 30 novembre » is a date', async () => {
      const chat = bot.conversation('webchat');
      const habit = textOf(await chat.say('on peut voter le dimanche ? je suis pas dispo en semaine'));
      assert.match(habit, /^Oui, le dimanche aussi\s:/);
      assert.match(habit, /week-end/);
      assert.doesNotMatch(habit, /dimanche 23 novembre/);
      const date = textOf(await chat.say('je pourrai voter dimanche 30 novembre ?'));
      assert.match(date, /^Oui\s:\sle dimanche 30 novembre 2014, le vote est ouvert\./);
    });

    it('voting from abroad: yes, from any connected device', async () => {
      const text = textOf(
        await bot
          .conversation('webchat')
          .say('je serai en déplacement à l’étranger la semaine du vote, je peux voter quand même ?'),
      );
      assert.match(text, /^Oui\s:\sle vote se fait par internet/);
      assert.match(text, /en France comme à l’étranger/);
    });

    it('where to vote: the voting site of the election file', async () => {
      const text = textOf(
        await bot.conversation('webchat').say('mon compte est confirmé, je vais où pour voter ?'),
      );
      assert.match(text, /https:\/\/vote2014\.education\.gouv\.fr\//);
      assert.match(text, /notice de vote/);
    });

    it('a lost notice: secretariat or académie, the réassort as it was in 2018 and 2022', async () => {
      const text = textOf(
        await bot.conversation('webchat').say('j’ai perdu ma notice de vote !! comment je fais'),
      );
      assert.match(text, /secrétariat de votre établissement ou à votre académie/);
      assert.match(text, /réassort/);
    });

    it('who may vote: usually yes, with conditions for contractuels', async () => {
      const text = textOf(
        await bot.conversation('webchat').say('je suis contractuelle, j’ai le droit de voter ?'),
      );
      assert.match(text, /^En règle générale, oui\s:/);
      assert.match(text, /conditions \(durée du contrat, ancienneté\)/);
      assert.match(text, /Mes scrutins/);
    });

    it('the NUMEN: typed on the webmail page only, never « ni ici ni ailleurs »', async () => {
      const text = textOf(await bot.conversation('webchat').say('c’est quoi le numen ?'));
      assert.match(text, /Tapez-le seulement sur la page du webmail de votre académie/);
      assert.doesNotMatch(text, /ailleurs/);
    });

    it('« écrivez « créer mon compte » » once per conversation, not after every date answer', async () => {
      const chat = bot.conversation('webchat');
      const hint = /écrivez «\scréer mon compte\s»/;
      assert.match(textOf(await chat.say('le vote commence quand ?')), hint);
      const second = textOf(await chat.say('et ça finit quand ?'));
      assert.match(second, at('jeudi 4 décembre 2014 à 17 h'));
      assert.doesNotMatch(second, hint);
      assert.doesNotMatch(textOf(await chat.say('c quand la date limite pour le compte')), hint);
      // Another conversation gets it once too.
      assert.match(textOf(await bot.conversation('webchat').say('le vote commence quand ?')), hint);
    });
  });

  describe('a week less a few seconds before the vote opens', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-11-20T10:00:30+01:00' });
    });
    after(async () => bot.close());

    it('« 7 jours », not « 6 jours et 23 heures »', async () => {
      const text = textOf(await bot.conversation('webchat').say('le vote commence quand ?'));
      assert.match(text, /Le vote ouvre dans 7\sjours\./);
      assert.doesNotMatch(text, /23\sheures/);
    });
  });

  describe('places', () => {
    let bot: BotHarness;
    before(async () => {
      bot = await startBot({ CLOCK_NOW: '2014-11-20T09:00:00+01:00' });
    });
    after(async () => bot.close());

    it('Mayotte named while starting the activation wins over a browser set to La Réunion', async () => {
      const chat = bot.conversation('webchat', { localTimezone: 'Indian/Reunion' });
      await chat.say('je suis à Mayotte, je voudrais créer mon compte électeur');
      const text = textOf(await chat.say('au fait le vote se termine à quelle heure ?'));
      assert.match(text, at('jeudi 4 décembre 2014 à 17 h'));
      assert.match(text, /19\s?h à Mayotte/);
      assert.doesNotMatch(text, /Réunion/);
    });

    it('a place named in a greeting is remembered; a first name that is a city is no place', async () => {
      const chat = bot.conversation('webchat');
      await chat.say('Florence');
      assert.doesNotMatch(textOf(await chat.say('le vote se termine à quelle heure ?')), /Florence/);
      await chat.say('bonjour, j’enseigne à Dakar');
      const text = textOf(await chat.say('le vote se termine à quelle heure ?'));
      assert.match(text, /soit 16\s?h à Dakar/);
    });

    it('« en heure de Nouméa svp » after a date answer: that answer again, in Nouméa time', async () => {
      const chat = bot.conversation('webchat');
      assert.doesNotMatch(textOf(await chat.say('le vote ferme quand ?')), /Nouméa/);
      const text = textOf(await chat.say('en heure de Nouméa svp'));
      assert.match(text, /^Le vote se termine le /);
      assert.match(text, /vendredi 5 décembre 2014 à 3\s?h à Nouméa/);
      assert.match(text, /soit 20\s?h à Nouméa/);
    });

    it('« en heure de Nouméa svp » with no question before: where both windows stand there', async () => {
      const text = textOf(await bot.conversation('webchat').say('en heure de Nouméa svp'));
      assert.match(text, /vendredi 5 décembre 2014 à 2\s?h à Nouméa/);
      assert.match(text, /soit 20\s?h à Nouméa/);
    });

    it('« à l’heure de New York » and « au Japon »: zones abroad, Paris time still given', async () => {
      const newYork = textOf(
        await bot.conversation('webchat').say('à l’heure de New York ça fait quoi la fin du vote ?'),
      );
      assert.match(newYork, at('jeudi 4 décembre 2014 à 17 h'));
      assert.match(newYork, /heure de Paris\), soit 11\s?h à New York/);

      const japan = textOf(
        await bot.conversation('webchat').say('je suis au Japon, le vote ouvre quand chez moi ?'),
      );
      assert.match(japan, /heure de Paris\), soit 18\s?h au Japon/);
    });
  });
});
