import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import { MASK } from '../../src/domain/mask';
import { type BotHarness, type BotReply, startBot, textOf } from '../support/bot-harness';
import { eventually } from '../support/poll';
import { dumpRedis } from '../support/redis-dump';

/**
 * End to end over /api/messages: NUMENs spelled the ways issue 10 found stored in clear (« 34/CD/567890/QRS »,
 * glued to a word, underscores, en and em dashes, full-width, lower case, no-break spaces, Teams' HTML copy)
 * reach neither the conversation state nor the transcript in Redis; the turns that carried them are
 * stored, masked.
 */

/** Letters and digits only, in ASCII upper case, JSON escapes undone: how a NUMEN would show in a dump. */
function core(text: string): string {
  let decoded = text;
  for (let i = 0; i < 3 && decoded.includes('\\'); i += 1)
    decoded = decoded
      .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\[tnr]/g, ' ')
      .replace(/\\(["\\/])/g, '$1');
  return decoded
    .normalize('NFKC')
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase();
}

const fullWidth = (s: string) =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** [the NUMEN, how the teacher typed it]: a different NUMEN each, so that each is looked for on its own. */
const SPELLINGS: ReadonlyArray<readonly [string, string]> = [
  ['34CD567890QRS', '34/CD/567890/QRS'],
  ['35CD567890QRS', 'numen35CD567890QRSmerci'],
  ['36CD567890QRS', '36_cd_567890_qrs'],
  ['37CD567890QRS', '37–CD–567890–QRS'],
  ['38CD567890QRS', '38 — CD — 567890 — QRS'],
  ['39CD567890QRS', fullWidth('39CD567890QRS')],
  ['01E9501234ABC', `${fullWidth('01')} e ${fullWidth('9501234')} abc`],
  ['02E9501234ABC', [...'02E9501234ABC'].join(' ')],
  ['03E9501234ABC', '03\u00a0E\u00a095\u202f01234\u00a0ABC'],
  ['17EA950123XYZ', '17ea950123xyz'],
  ['18EA950123XYZ', '18.ea.950.123.x.y.z'],
];

describe('NUMEN in any spelling never reaches Redis in clear (over /api/messages)', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  const markers: string[] = [];
  const marker = () => {
    // Letters only: a random hex marker can itself read as a NUMEN (digits, letters, digits) and be masked.
    const m = `Repere${[...randomBytes(12)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
    markers.push(m);
    return m;
  };

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot?.close();
  });

  it('is masked and warned about when typed, at the root and at a step', async () => {
    for (const [, typed] of SPELLINGS) {
      const chat = bot.conversation('webchat');
      const replies = await chat.say(`${marker()} voici mon numen ${typed} merci`);
      assert.match(textOf(replies), /Ne le tapez jamais dans cette conversation/, typed);
    }
    const chat = bot.conversation('webchat');
    await chat.join();
    assert.match(textOf(await chat.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
    assert.match(textOf(await chat.say('oui')), /adresse de messagerie professionnelle/);
    for (const [, typed] of SPELLINGS.slice(0, 4)) {
      const replies = await chat.say(`${marker()} ${typed}@ac-paris.fr`);
      assert.match(textOf(replies), /Ne le tapez jamais dans cette conversation/, typed);
    }
  });

  it('is masked in card values, event values and Teams’ HTML copy', async () => {
    const web = bot.conversation('webchat');
    for (const [, typed] of SPELLINGS.slice(4, 8))
      await web.submit({ action: 'submitPassword', password: typed, confirmation: typed, note: marker() });
    for (const [, typed] of SPELLINGS.slice(8))
      await web.send({ type: 'event', name: 'passwordEntered', value: { entryId: marker(), note: typed } });
    const teams = bot.conversation('msteams');
    for (const [, typed] of SPELLINGS) {
      const text = `${marker()} mon numen ${typed}`;
      const html = `<p>${text.replace(/ /g, '&nbsp;').replace(/[–—]/g, '&#8211;')}</p>`;
      const replies = await teams.send({
        type: 'message',
        text,
        attachments: [{ contentType: 'text/html', content: html }],
      });
      assert.match(allText(replies), /Ne le tapez jamais dans cette conversation/, typed);
    }
  });

  it('left nothing of them in clear in the state or the transcripts, which hold the masked turns', async () => {
    let dump = '';
    const stored = await eventually(async () => {
      dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
      return markers.every((m) => dump.includes(m));
    }, 10_000);
    assert.ok(
      stored,
      `the transcripts hold every turn: missing ${markers.filter((m) => !dump.includes(m)).join(', ')}`,
    );
    assert.ok(dump.includes(MASK), 'the NUMENs were stored masked');
    const keys = await bot.redis.keys();
    assert.ok(
      keys.some((k) => /state|conversation/i.test(k)),
      `conversation state is among the keys: ${keys.join(' ')}`,
    );
    const clear = core(dump);
    for (const [numen, typed] of SPELLINGS)
      assert.ok(!clear.includes(numen), `« ${typed} » is in Redis in clear`);
  });
});

function allText(replies: readonly BotReply[]): string {
  const cards = replies.flatMap((r) => r.attachments ?? []).map((a) => String(a.content.text ?? ''));
  return [textOf(replies), ...cards].join('\n');
}
