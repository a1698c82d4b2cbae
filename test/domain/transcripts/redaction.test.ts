import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { passwordPrompt } from '../../../dialogs/replies';
import { LEAFLET_2014_POLICY } from '../../../src/domain/accounts/password-policy';
import { newToken } from '../../../src/domain/accounts/tokens';
import { MASK, redactActivity, redactText } from '../../../src/domain/transcripts/redaction';

const NUMEN = '01E9501234ABC';

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('transcript redaction', () => {
  describe('redactText', () => {
    it('masks a NUMEN, typed plain or with spaces, and keeps the rest readable', () => {
      assert.equal(redactText(`mon numen est ${NUMEN} merci`), `mon numen est ${MASK} merci`);
      assert.equal(redactText('c’est 01 E 95 01234 ABC.'), `c’est ${MASK}.`);
    });

    it('masks a pasted confirmation link, encoded or not, and a bare token', () => {
      const token = newToken();
      assert.equal(token.length, 43);
      assert.equal(
        redactText(`voici https://bot.ac-paris.fr/confirmation?jeton=${token} ça ne marche pas`),
        `voici ${MASK} ça ne marche pas`,
      );
      assert.equal(redactText(`/confirmation%3Fjeton%3D${token}`), MASK);
      assert.equal(redactText(`le jeton « ${token} »`), `le jeton « ${MASK} »`);
      assert.equal(redactText(`${token}x`), `${token}x`, 'only tokens of the exact length');
    });

    it('stays linear on long hostile input (the route accepts 256 KB)', () => {
      for (const s of [
        'x'.repeat(250_000),
        `jeton=${'y'.repeat(250_000)}`,
        '01E95'.repeat(50_000),
        'a '.repeat(125_000),
      ]) {
        const started = performance.now();
        redactText(s);
        assert.ok(performance.now() - started < 500, s.slice(0, 10));
      }
    });

    it('leaves every sentence the bot says unchanged (no false positive in the locales)', () => {
      const dir = path.join(__dirname, '../../../locales/fr');
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'training.json')) {
        for (const s of strings(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')))) {
          // The bot's side: no candidate password is looked for there (« argon2id » has the shape of one).
          assert.equal(redactActivity({ text: s }, { fromBot: true }).text, s, `${file}: ${s}`);
        }
      }
    });
  });

  describe('redactActivity', () => {
    const incoming = {
      type: 'message',
      id: 'a1',
      channelId: 'webchat',
      conversation: { id: 'c1' },
      from: { id: 'u1', name: 'Jeanne', role: 'user' },
      recipient: { id: 'bot' },
      timestamp: new Date('2014-11-20T08:00:00Z'),
      text: 'Electeur2014',
    };

    it('returns a JSON-safe deep copy and never touches the original', () => {
      const original = structuredClone({
        ...incoming,
        value: { action: 'password', password: 'Secret2014' },
      });
      const before = structuredClone(original);
      const copy = redactActivity(original, { secretAnswer: true });
      assert.deepEqual(original, before);
      assert.equal(copy.timestamp, '2014-11-20T08:00:00.000Z');
      assert.deepEqual(copy.from, incoming.from);
      assert.notEqual(copy.from, original.from);
      assert.equal(copy.id, 'a1');
    });

    it('masks the text and the values of a secret answer, keeping the card action', () => {
      assert.equal(redactActivity(incoming, { secretAnswer: true }).text, MASK);
      const card = redactActivity(
        {
          ...incoming,
          text: undefined,
          value: { action: 'password', password: 'A1b2c3d4', other: 'x', n: 3 },
        },
        { secretAnswer: true },
      );
      assert.deepEqual(card.value, { action: 'password', password: MASK, other: MASK, n: MASK });
      assert.equal('text' in card, false);
    });

    it('masks password and confirmation fields anywhere, even without the flag (Teams, Action.Execute)', () => {
      const copy = redactActivity({
        ...incoming,
        text: 'ok',
        value: {
          action: { type: 'Action.Execute', data: { password: 'Aa123456', confirmation: 'Aa123456' } },
        },
        channelData: { postBack: true, motDePasse: 'Aa123456' },
      });
      assert.equal(copy.text, 'ok', 'not a secret answer: the text stays');
      assert.deepEqual(copy.value, {
        action: { type: 'Action.Execute', data: { password: MASK, confirmation: MASK } },
      });
      assert.deepEqual(copy.channelData, { postBack: true, motDePasse: MASK });
    });

    it('masks NUMEN and tokens in text, values and attachments', () => {
      const token = newToken();
      const copy = redactActivity({
        ...incoming,
        text: `numen ${NUMEN}`,
        value: { note: `jeton ${token}` },
        attachments: [{ contentType: 'text/plain', content: { body: [{ text: NUMEN }] } }],
      });
      const all = JSON.stringify(copy);
      assert.ok(!all.includes(NUMEN));
      assert.ok(!all.includes(token));
      assert.equal(copy.text, `numen ${MASK}`);
    });

    it('keeps the bot’s password card as the teacher saw it, but never a prefilled password', () => {
      const reply = passwordPrompt(
        { activity: { channelId: 'webchat' } } as never,
        LEAFLET_2014_POLICY,
      ) as Record<string, unknown>;
      assert.deepEqual(redactActivity(reply), JSON.parse(JSON.stringify(reply)));
      const prefilled = structuredClone(reply) as {
        attachments: Array<{ content: { body: Array<Record<string, unknown>> } }>;
      };
      const input = prefilled.attachments[0]?.content.body.find((b) => b.style === 'password');
      assert.ok(input);
      input.value = 'Prefilled1';
      assert.ok(!JSON.stringify(redactActivity(prefilled)).includes('Prefilled1'));
    });

    it('survives odd input: very deep objects, non-finite numbers, functions', () => {
      let deep: Record<string, unknown> = { leaf: 'x' };
      for (let i = 0; i < 100; i++) deep = { d: deep };
      const copy = redactActivity({
        type: 'message',
        value: deep,
        channelData: { n: Number.NaN, f: () => 1 },
      });
      assert.doesNotThrow(() => JSON.stringify(copy));
      assert.deepEqual(copy.channelData, { n: null });
    });
  });
});
