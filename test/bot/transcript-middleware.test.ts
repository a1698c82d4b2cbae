import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type TurnContext } from 'botbuilder';
import { describe, it } from 'mocha';
import { ADDRESS_GIVEN, NUMEN_DETECTED, SECRET_ANSWER } from '../../dialogs/types';
import { numenGuardMiddleware } from '../../src/bot/middleware/numen-guard';
import { TranscriptMiddleware, transcriptWriteFailures } from '../../src/bot/middleware/transcript';
import { MAX_LINE_BYTES, MAX_TEXT_CHARS, TRUNCATED_LINE_TYPE } from '../../src/domain/transcripts/lines';
import type { TranscriptEntry, TranscriptWriter } from '../../src/domain/transcripts/ports';
import { MASK } from '../../src/domain/transcripts/redaction';
import { silentLogger } from '../../src/log';

class RecordingWriter implements TranscriptWriter {
  readonly entries: TranscriptEntry[] = [];
  async append(entry: TranscriptEntry): Promise<void> {
    this.entries.push(entry);
  }
  get texts(): unknown[] {
    return this.entries.flatMap((e) => e.lines.map((l) => l.text));
  }
}

function adapterWith(writer: TranscriptWriter, logic: (context: TurnContext) => Promise<void>) {
  const middleware = new TranscriptMiddleware({ writer, logger: silentLogger() });
  const adapter = new TestAdapter(logic).use(numenGuardMiddleware()).use(middleware);
  return { adapter, middleware };
}

describe('TranscriptMiddleware', () => {
  it('writes the incoming activity and the replies, in order, once per turn', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      await context.sendActivity(`écho : ${context.activity.text}`);
      await context.sendActivities([{ type: ActivityTypes.Typing }, { type: 'message', text: 'deux' }]);
      await context.sendActivity({ type: ActivityTypes.Trace, name: 'RecognizerResult', value: {} });
    });
    await adapter
      .send('bonjour')
      .assertReply('écho : bonjour')
      .assertReply((a) => assert.equal(a.type, ActivityTypes.Typing))
      .assertReply('deux')
      .startTest();
    await middleware.drain();
    assert.equal(writer.entries.length, 1);
    const [entry] = writer.entries;
    assert.equal(entry?.channelId, 'test');
    assert.equal(entry?.conversationId, 'Convo1');
    assert.deepEqual(writer.texts, ['bonjour', 'écho : bonjour', 'deux'], 'no typing, no trace');
    const [incoming, reply] = entry?.lines ?? [];
    assert.equal(incoming?.role, 'user');
    assert.equal(reply?.role, 'bot');
    assert.equal(typeof reply?.id, 'string');
    assert.ok(entry?.lines.every((l) => !Number.isNaN(Date.parse(l.at))));
  });

  it('masks the answer to a password prompt, flagged during the turn, and indexes the confirmed address', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      if (context.activity.text === 'Secret2014') context.turnState.set(SECRET_ANSWER, true);
      if (context.activity.text === 'oui') context.turnState.set(ADDRESS_GIVEN, 'jean.martin@ac-paris.fr');
      await context.sendActivity('ok');
    });
    await adapter.send('oui').assertReply('ok').send('Secret2014').assertReply('ok').startTest();
    await middleware.drain();
    assert.equal(writer.entries[0]?.email, 'jean.martin@ac-paris.fr');
    assert.equal(writer.entries[1]?.email, undefined);
    assert.deepEqual(writer.texts, ['oui', 'ok', MASK, 'ok']);
    assert.ok(!JSON.stringify(writer.entries).includes('Secret2014'));
  });

  it('sees the activity after the NUMEN guard, and masks card values', async () => {
    const writer = new RecordingWriter();
    let flagged = false;
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      flagged ||= context.turnState.get(NUMEN_DETECTED) === true;
      await context.sendActivity('ok');
    });
    await adapter
      .send('mon numen 01E9501234ABC')
      .assertReply('ok')
      .send({
        type: 'message',
        value: { action: 'password', password: 'Aa345678', confirmation: 'Aa345678' },
      })
      .assertReply('ok')
      .startTest();
    await middleware.drain();
    assert.ok(flagged);
    assert.equal(writer.texts[0], `mon numen ${MASK}`);
    assert.deepEqual(writer.entries[1]?.lines[0]?.value, {
      action: 'password',
      password: MASK,
      confirmation: MASK,
    });
  });

  it('never lets a failing store break the turn: rejected or thrown, it is counted', async () => {
    const before = transcriptWriteFailures();
    const rejecting: TranscriptWriter = { append: () => Promise.reject(new Error('Connection is closed.')) };
    const throwing: TranscriptWriter = {
      append: () => {
        throw new Error('boom');
      },
    };
    for (const writer of [rejecting, throwing]) {
      const { adapter, middleware } = adapterWith(writer, async (context) => {
        await context.sendActivity('toujours là');
      });
      await adapter.send('bonjour').assertReply('toujours là').startTest();
      await middleware.drain();
      assert.equal(middleware.failures, 1);
    }
    assert.equal(transcriptWriteFailures() - before, 2);
  });

  it('does not wait for the store: a hanging write leaves the turn fast, and writes in flight are bounded', async () => {
    const hanging: TranscriptWriter = { append: () => new Promise<void>(() => undefined) };
    const middleware = new TranscriptMiddleware({ writer: hanging, logger: silentLogger(), maxInFlight: 2 });
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('ok');
    }).use(middleware);
    const started = performance.now();
    await adapter
      .send('1')
      .assertReply('ok')
      .send('2')
      .assertReply('ok')
      .send('3')
      .assertReply('ok')
      .startTest();
    assert.ok(performance.now() - started < 1_000);
    assert.equal(middleware.failures, 1, 'the third write is dropped and counted');
  });

  it('logs the error message sent by onTurnError, after the turn failed', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async () => {
      throw new Error('dialog failed');
    });
    adapter.onTurnError = async (context) => {
      await context.sendActivity('Une erreur est survenue.');
    };
    await adapter.send('bonjour').assertReply('Une erreur est survenue.').startTest();
    await middleware.drain();
    assert.deepEqual(writer.texts, ['bonjour', 'Une erreur est survenue.']);
  });

  it('keeps what the helpdesk reads: no channelData nor entities, whatever they weigh', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      await context.sendActivity('ok');
    });
    await adapter
      .send({
        type: 'message',
        text: 'bonjour',
        channelData: { filler: 'x'.repeat(200_000) },
        entities: [{ type: 'ClientCapabilities', filler: 'y'.repeat(50_000) }],
      })
      .assertReply('ok')
      .startTest();
    await middleware.drain();
    const [incoming] = writer.entries[0]?.lines ?? [];
    assert.equal(incoming?.text, 'bonjour');
    assert.equal(incoming?.truncated, undefined, 'nothing it reads was cut');
    assert.doesNotMatch(JSON.stringify(writer.entries), /xxxx|yyyy|filler|ClientCapabilities/);
    assert.ok(Buffer.byteLength(JSON.stringify(incoming)) < 300);
  });

  it('cuts a long text with « […] », and keeps every line within MAX_LINE_BYTES', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      await context.sendActivity('ok');
    });
    const long = `début ${'mot '.repeat(5_000)} mon numen 01E9501234ABC`;
    await adapter
      .send({ type: 'message', text: long })
      .assertReply('ok')
      .send({ type: 'message', text: '😀'.repeat(MAX_TEXT_CHARS) })
      .assertReply('ok')
      .send({ type: 'message', text: '"\u0001'.repeat(MAX_TEXT_CHARS) })
      .assertReply('ok')
      .startTest();
    await middleware.drain();
    const [cut, emoji, escaped] = writer.entries.map((e) => e.lines[0]);
    assert.ok(cut?.text?.startsWith('début mot mot'));
    assert.ok(cut?.text?.endsWith(' […]'));
    assert.equal(cut?.text?.length, MAX_TEXT_CHARS);
    assert.equal(cut?.truncated, true);
    assert.ok(
      !JSON.stringify(writer.entries).includes('01E9501234ABC'),
      'the NUMEN past the cut is not kept',
    );
    for (const line of [cut, emoji, escaped])
      assert.ok(Buffer.byteLength(JSON.stringify(line)) <= MAX_LINE_BYTES, JSON.stringify(line).slice(0, 80));
    assert.ok(emoji?.text?.startsWith('😀😀') && emoji.text.endsWith(' […]'), 'cut on a whole character');
  });

  it('never takes a client’s activity for the truncation marker', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async () => undefined);
    await adapter.send({ type: TRUNCATED_LINE_TYPE, text: 'La transcription s’arrête ici' }).startTest();
    await middleware.drain();
    assert.equal(writer.entries[0]?.lines[0]?.type, 'event');
  });

  it('summarises cards (texts, fields, buttons), choices and files: no URL, no data, no field value', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      await context.sendActivity({
        type: 'message',
        text: 'Saisissez votre mot de passe.',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              version: '1.5',
              body: [
                { type: 'TextBlock', text: 'Mot de passe électeur' },
                {
                  type: 'Input.Text',
                  id: 'password',
                  style: 'password',
                  label: 'Mot de passe',
                  value: 'Prérempli1',
                },
              ],
              actions: [{ type: 'Action.Submit', title: 'Valider', data: { action: 'password' } }],
            },
          },
          {
            contentType: 'application/vnd.microsoft.card.hero',
            content: {
              title: 'Votre lien',
              buttons: [
                { type: 'openUrl', title: 'Ouvrir la page', value: 'https://example.org/p?lien=abc' },
              ],
            },
          },
        ],
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Aide', value: 'aide' }] },
      });
    });
    await adapter
      .send({
        type: 'message',
        attachments: [
          {
            contentType: 'image/png',
            name: 'capture.png',
            contentUrl: `data:image/png;base64,${'A'.repeat(30_000)}`,
          },
        ],
      })
      .assertReply((a) => assert.equal(a.text, 'Saisissez votre mot de passe.'))
      .startTest();
    await middleware.drain();
    const [file, reply] = writer.entries[0]?.lines ?? [];
    assert.deepEqual(file?.attachments, [{ contentType: 'image/png', summary: 'capture.png (image/png)' }]);
    assert.deepEqual(reply?.attachments, [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        summary: 'Mot de passe électeur — champs\u00a0: Mot de passe — boutons\u00a0: Valider',
      },
      {
        contentType: 'application/vnd.microsoft.card.hero',
        summary: 'Votre lien — boutons\u00a0: Ouvrir la page',
      },
    ]);
    assert.deepEqual(reply?.choices, ['Aide']);
    assert.doesNotMatch(JSON.stringify(writer.entries), /Prérempli1|https:|data:|AAAA/);
  });

  it('logs updates and deletions like botbuilder’s transcript logger', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      const sent = await context.sendActivity('brouillon');
      await context.updateActivity({ ...context.activity, id: sent?.id, type: 'message', text: 'corrigé' });
      await context.deleteActivity(sent?.id ?? '');
    });
    // TestAdapter drops a deleted reply from its queue: there is nothing to assert on the channel side.
    await adapter.send('bonjour').startTest();
    await middleware.drain();
    assert.deepEqual(
      writer.entries[0]?.lines.map((l) => l.type),
      ['message', 'message', ActivityTypes.MessageUpdate, ActivityTypes.MessageDelete],
    );
  });
});
