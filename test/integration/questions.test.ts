import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';

const VOTE_CLOSE = 'Quand se termine le vote ?';
/** « jeudi 4 décembre 2014 à 17 h », whatever the spaces. */
const PARIS_CLOSE = /jeudi 4 décembre 2014 à 17\s?h/;

function traces(replies: readonly BotReply[]) {
  return replies.filter((r) => r.type === 'trace') as Array<
    BotReply & { valueType?: string; value?: Record<string, unknown> }
  >;
}

describe('questions in French through /api/messages (issue 3)', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  it('answers the vote close in Paris time, and in local time from Web Chat’s localTimezone', async () => {
    const paris = bot.conversation('webchat');
    const plain = textOf(await paris.say(VOTE_CLOSE));
    assert.match(plain, PARIS_CLOSE);
    assert.match(plain, /heure de Paris/);

    const reunion = bot.conversation('webchat', { localTimezone: 'Indian/Reunion' });
    assert.match(textOf(await reunion.say(VOTE_CLOSE)), /20\s?h à La Réunion/);
  });

  it('uses the time zone of Teams’ clientInfo entity', async () => {
    const chat = bot.conversation('msteams', {
      entities: [
        {
          type: 'clientInfo',
          locale: 'fr-FR',
          country: 'FR',
          platform: 'Android',
          timezone: 'Pacific/Noumea',
        },
      ],
    });
    const text = textOf(await chat.say(VOTE_CLOSE));
    assert.match(text, PARIS_CLOSE);
    assert.match(text, /vendredi 5 décembre 2014 à 3\s?h en Nouvelle-Calédonie/);
  });

  it('remembers a place the teacher names for the rest of the conversation', async () => {
    const chat = bot.conversation('cli');
    assert.match(
      textOf(await chat.say('Je suis à Papeete, jusqu’à quand peut-on voter ?')),
      /6\s?h à Papeete/,
    );
    assert.match(
      textOf(await chat.say('et le vote commence quand ?')),
      /mercredi 26 novembre 2014 à 23\s?h à Papeete/,
    );
  });

  it('says where we are now for both windows (« Est-ce trop tard ? »)', async () => {
    const text = textOf(await bot.conversation('cli').say('Est-ce qu’il est trop tard ?'));
    assert.match(text, /Compte électeur/);
    assert.match(text, /Vote/);
    assert.match(text, /Il vous reste/);
  });

  it('answers yes or no for a date the teacher gives, in the teacher’s zone', async () => {
    const text = textOf(await bot.conversation('cli').say('Puis-je encore voter le 4 décembre à 17 h 30 ?'));
    assert.match(text, /^Non/);
    assert.match(text, PARIS_CLOSE);
  });

  it('sends a RecognizerResult trace on the Emulator only', async () => {
    const emulator = await bot.conversation('emulator').say(VOTE_CLOSE);
    const [trace] = traces(emulator);
    assert.ok(trace, 'a trace activity on the emulator channel');
    assert.equal(trace.valueType, 'https://www.botframework.com/schemas/recognizerResult');
    assert.equal(trace.value?.text, VOTE_CLOSE);
    const intents = trace.value?.intents as Record<string, { score: number }>;
    const best = Object.entries(intents).sort((a, b) => b[1].score - a[1].score)[0];
    assert.equal(best?.[0], 'ask_vote_close');
    assert.match(textOf(emulator), PARIS_CLOSE);

    assert.deepEqual(traces(await bot.conversation('webchat').say(VOTE_CLOSE)), []);
  });

  it('asks which topic when it is not sure, and answers the topic chosen', async () => {
    const chat = bot.conversation('webchat');
    const replies = await chat.say('azerty qsdf');
    assert.match(textOf(replies), /pas sûr d’avoir compris/);
    const choices = replies.flatMap((r) => r.suggestedActions?.actions ?? []).map((a) => a.title);
    assert.ok(choices.includes('Aide'), 'help is offered');
    assert.match(textOf(await chat.say('Fin du vote')), PARIS_CLOSE);
  });

  it('answers a question at every step of the activation, then asks the step again', async () => {
    const chat = bot.conversation('emulator');
    const ask = async (expectedPrompt: RegExp) => {
      const replies = await chat.say(VOTE_CLOSE);
      const text = textOf(replies);
      assert.match(text, PARIS_CLOSE, `the question is answered: ${text}`);
      assert.match(text, expectedPrompt, 'the pending question is asked again');
      return replies;
    };
    await chat.join();
    await chat.say('Créer mon compte électeur');
    await ask(/Avez-vous déjà activé votre messagerie professionnelle/);
    await chat.say('non');
    await ask(/Que souhaitez-vous faire maintenant/);
    await chat.say('Trouver mon identifiant');
    await ask(/prénom et votre nom/);
    assert.match(textOf(await chat.say('Jean Dupont')), /`jdupont`/);
    await chat.say('C’est fait, continuer');
    await ask(/adresse de messagerie professionnelle/);
    await chat.say('jean.dupont@ac-paris.fr');
    await ask(/Est-ce bien votre adresse professionnelle/);
    await chat.say('oui');
    const atPassword = await ask(/mot de passe électeur/);
    // At a password prompt the trace never carries the message, which could be the password.
    for (const trace of traces(atPassword)) assert.notEqual(trace.value?.text, VOTE_CLOSE);
    await chat.say('Electeur2014');
    await ask(/seconde fois/);
    assert.match(textOf(await chat.say('Electeur2014')), /jean\.dupont@ac-paris\.fr/);
    const passwordTraces = traces(await chat.say('annuler'));
    assert.deepEqual(passwordTraces, [], 'a command is not sent to the recogniser');

    // In the transcript, what was typed at a password prompt stays masked, questions included.
    const deadline = Date.now() + 5_000;
    let stored: Array<Record<string, unknown>> = [];
    while (Date.now() < deadline && !stored.some((a) => a.text === 'annuler')) {
      stored = (await bot.app.transcripts.activities('emulator', chat.id)) as Array<Record<string, unknown>>;
      await new Promise((r) => setTimeout(r, 50));
    }
    const typed = stored
      .filter((a) => (a.from as { role?: string } | undefined)?.role === 'user')
      .map((a) => a.text);
    assert.ok(!typed.includes('Electeur2014'), typed.join(' | '));
    assert.equal(
      typed.filter((text) => text === VOTE_CLOSE).length,
      5,
      'the questions asked before the password step',
    );
    assert.equal(typed.filter((text) => text === '[masqué]').length, 4, typed.join(' | '));
  });
});
