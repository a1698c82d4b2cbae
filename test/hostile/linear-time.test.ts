import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { answer } from '../../dialogs/answers';
import { polarityOf } from '../../dialogs/answers/dates';
import { mentions } from '../../dialogs/answers/keywords';
import { commandOf, menuChoiceOf } from '../../dialogs/commands';
import {
  ADDRESS_PROMPT,
  NAME_PROMPT,
  PASSWORD_PROMPT,
  WEBMAIL_NEXT_PROMPT,
  YES_NO_PROMPT,
} from '../../dialogs/ids';
import { expectsThisAnswer } from '../../dialogs/prompt-answers';
import { yesNoOf } from '../../dialogs/prompts';
import { exceedsLimits } from '../../src/bot/middleware/message-limits';
import { academiesFor } from '../../src/domain/academies/directory';
import { academieNamed } from '../../src/domain/academies/names';
import { addressIn, checkAddress } from '../../src/domain/accounts/address';
import { suggestLogin } from '../../src/domain/accounts/login-suggestion';
import { findPlace } from '../../src/domain/calendar/places';
import { parseTeacherDate } from '../../src/domain/calendar/teacher-dates';
import { redactActivity, redactText } from '../../src/domain/transcripts/redaction';
import { normaliseForMatching, tokenize } from '../../src/domain/understanding/features';
import { INTENTS } from '../../src/domain/understanding/intents';
import { languageOf } from '../../src/domain/understanding/language';
import { matchesPhrase, normaliseText } from '../../src/domain/understanding/normalise';
import { containsNumen, maskNumen, maskNumenInHtml } from '../../src/domain/understanding/numen';
import { createRecognizer } from '../../src/domain/understanding/recognizer';
import { questionsOf } from '../../src/domain/understanding/segments';
import {
  asksAboutAccount,
  asksStatus,
  changedMindWay,
  readsAsSentence,
  statementOf,
} from '../../src/domain/understanding/statements';
import { t } from '../../src/i18n';
import { loadAcademies } from '../../src/infra/academies-file';
import { loadCalendar } from '../../src/infra/files/calendar-file';
import { loadTrainingSet } from '../../src/infra/files/training-file';
import { maskAddresses, maskLogText } from '../../src/log';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { callsSampler, type Growth, growth, MAX_GROWTH } from './growth';
import { PLAIN_QUESTION, TEXT_SHAPES } from './text-shapes';

/**
 * Doubling a hostile text at most about doubles what it costs (issue 10: one 20,000-character event took
 * 3.4 s and stalled the process). Through the real scanning functions, and through real turns over HTTP.
 * A quadratic pattern makes the ratio 4; the bound is MAX_GROWTH (3), with medians of interleaved samples
 * so that a busy machine does not fail it (see growth.ts).
 */

const calendar = loadCalendar(path.join(__dirname, '..', '..', 'calendars', 'elections-2014.json'));
const now = new Date('2014-11-20T08:00:00Z');
const ACADEMIES = ['ac-paris.fr', 'ac-creteil.fr', 'ac-versailles.fr'];
/** The shipped académie profiles in force in 2014 (issue 14): their names are searched in messages. */
const PROFILES = academiesFor(
  loadAcademies(path.join(__dirname, '..', '..', 'academies', 'academies.json')),
  calendar.vote,
).all;

/** Every scan a message can meet between the HTTP route and the transcript, in one call. */
const SCANS: ReadonlyArray<readonly [string, (text: string) => unknown]> = (() => {
  const recognizer = createRecognizer(loadTrainingSet());
  return [
    ['exceedsLimits', (text) => exceedsLimits({ type: 'message', text, value: { a: [text] } }, 1e9)],
    ['containsNumen', containsNumen],
    ['maskNumen', (text) => maskNumen(text, '[masqué]')],
    ['maskNumenInHtml', (text) => maskNumenInHtml(`<p>${text}</p>`, '[masqué]')],
    ['normaliseText', normaliseText],
    ['matchesPhrase', (text) => matchesPhrase(text, ['oui', 'non', 'créer mon compte'])],
    ['commandOf', commandOf],
    ['menuChoiceOf', menuChoiceOf],
    [
      'expectsThisAnswer',
      (text) =>
        [ADDRESS_PROMPT, YES_NO_PROMPT, WEBMAIL_NEXT_PROMPT, NAME_PROMPT, PASSWORD_PROMPT].map((p) =>
          expectsThisAnswer(p, text),
        ),
    ],
    ['tokenize', tokenize],
    ['normaliseForMatching', normaliseForMatching],
    ['recognize', (text) => recognizer.recognize(text)],
    [
      'answer (every intent)',
      (text) => INTENTS.map((i) => answer(i, text, { calendar, now, webmailUrl: 'x' })),
    ],
    [
      'answer (every intent, académie known and named)',
      (text) =>
        INTENTS.map((i) => answer(i, text, { calendar, now, academie: PROFILES[0], academies: PROFILES })),
    ],
    ['academieNamed', (text) => academieNamed(text, PROFILES)],
    ['mentions', (text) => mentions(text, 'password')],
    ['parseTeacherDate', (text) => parseTeacherDate(text, now, 'Europe/Paris')],
    ['findPlace', findPlace],
    ['checkAddress', (text) => checkAddress(text, ACADEMIES)],
    ['addressIn', addressIn],
    ['statementOf', statementOf],
    ['readsAsSentence', readsAsSentence],
    ['languageOf', languageOf],
    ['questionsOf', questionsOf],
    ['changedMindWay', changedMindWay],
    ['asksStatus', asksStatus],
    ['asksAboutAccount', asksAboutAccount],
    ['yesNoOf', yesNoOf],
    ['polarityOf', polarityOf],
    [
      'mentions (habits, situations)',
      (text) => (['always', 'night', 'contract', 'notice'] as const).map((l) => mentions(text, l)),
    ],
    ['suggestLogin', suggestLogin],
    ['redactText', redactText],
    [
      'redactActivity',
      (text) =>
        redactActivity({
          type: 'message',
          text,
          value: { note: text },
          attachments: [{ contentType: 'text/html', content: `<p>${text}</p>` }],
        }),
    ],
    ['maskLogText', maskLogText],
    ['maskAddresses', maskAddresses],
  ];
})();

const scanAll = (text: string) => {
  for (const [, scan] of SCANS) scan(text);
};

function describeGrowth(g: Growth): string {
  return `${g.smallMs.toFixed(2)} ms → ${g.largeMs.toFixed(2)} ms (×${g.ratio.toFixed(2)})`;
}

describe('hostile text: cost grows linearly', function () {
  this.timeout(120_000);

  describe('through every scanning function (4,000 → 8,000 characters)', () => {
    const SMALL = 4_000;
    for (const shape of TEXT_SHAPES) {
      it(`${shape.name}`, async () => {
        const small = shape.build(SMALL);
        const large = shape.build(SMALL * 2);
        assert.equal(large.length, SMALL * 2);
        const all = await growth(callsSampler(scanAll, small, 8), small, large, 7);
        if (all.ratio <= MAX_GROWTH) return;
        // Name the culprit: each scan on its own.
        const culprits: string[] = [];
        for (const [name, scan] of SCANS) {
          const one = await growth(callsSampler(scan, small, 8), small, large, 7);
          if (one.ratio > MAX_GROWTH) culprits.push(`${name}: ${describeGrowth(one)}`);
        }
        assert.fail(`all scans ${describeGrowth(all)}; ${culprits.join('; ') || 'no single scan'}`);
      });
    }
  });

  describe('through real turns over HTTP /api/messages, at the root and at each prompt (4,000 → 8,000 characters)', () => {
    const SMALL = 4_000;
    /** Where the hostile text arrives: the turns that lead there (each sample starts a new conversation). */
    const STEPS: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['at the root', []],
      ['at the yes/no question', ['Créer mon compte électeur']],
      ['at the webmail choices', ['Créer mon compte électeur', 'non']],
      ['at the name question', ['Créer mon compte électeur', 'non', 'Trouver mon identifiant']],
      ['at the address question', ['Créer mon compte électeur', 'oui']],
      ['at the password question', ['Créer mon compte électeur', 'oui', 'marie.curie@ac-paris.fr', 'oui']],
    ];
    let bot: BotHarness;
    before(async () => {
      // The cap raised so that texts long enough to show a quadratic cost reach the scanners.
      bot = await startBot({ MAX_MESSAGE_LENGTH: String(SMALL * 2) });
      const chat = bot.conversation('webchat');
      for (let i = 0; i < 5; i += 1) await chat.say(PLAIN_QUESTION);
    });
    after(async () => {
      await bot?.close();
    });

    for (const [where, setup] of STEPS) {
      for (const shape of TEXT_SHAPES) {
        it(`${where}: ${shape.name}`, async () => {
          const turn = async (text: string) => {
            const chat = bot.conversation('webchat');
            for (const step of setup) await chat.say(step);
            const started = performance.now();
            const replies = await chat.say(text);
            const took = performance.now() - started;
            assert.ok(replies.length > 0, 'the bot answered');
            assert.ok(!textOf(replies).includes(t('bot.tooLong')), 'under the cap, the text was scanned');
            return took;
          };
          const g = await growth(turn, shape.build(SMALL), shape.build(SMALL * 2), 5);
          assert.ok(g.ratio <= MAX_GROWTH, `a turn ${describeGrowth(g)}`);
        });
      }
    }
  });
});
