import assert from 'node:assert/strict';
import { ActivityTypes, TestAdapter, type TurnContext } from 'botbuilder';
import { describe, it } from 'mocha';
import { ADDRESS_GIVEN, NUMEN_DETECTED, SECRET_ANSWER } from '../../dialogs/types';
import { numenGuardMiddleware } from '../../src/bot/middleware/numen-guard';
import { TranscriptMiddleware, transcriptWriteFailures } from '../../src/bot/middleware/transcript';
import type { TranscriptEntry, TranscriptWriter } from '../../src/domain/transcripts/ports';
import { MASK } from '../../src/domain/transcripts/redaction';
import { silentLogger } from '../../src/log';

class RecordingWriter implements TranscriptWriter {
  readonly entries: TranscriptEntry[] = [];
  async append(entry: TranscriptEntry): Promise<void> {
    this.entries.push(entry);
  }
  get texts(): unknown[] {
    return this.entries.flatMap((e) => e.activities.map((a) => a.text));
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
    const [incoming, reply] = entry?.activities ?? [];
    assert.equal((incoming?.from as { role?: string } | undefined)?.role, 'user');
    assert.equal(typeof reply?.id, 'string');
    assert.ok(entry?.activities.every((a) => typeof a.timestamp === 'string'));
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
    assert.deepEqual(writer.entries[1]?.activities[0]?.value, {
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

  it('keeps only the routing fields and the start of the text of an oversized activity', async () => {
    const writer = new RecordingWriter();
    const { adapter, middleware } = adapterWith(writer, async (context) => {
      await context.sendActivity('ok');
    });
    await adapter
      .send({ type: 'message', text: 'bonjour', channelData: { filler: 'x'.repeat(200_000) } })
      .assertReply('ok')
      .startTest();
    await middleware.drain();
    const [incoming] = writer.entries[0]?.activities ?? [];
    assert.equal(incoming?.truncated, true);
    assert.equal(incoming?.text, 'bonjour');
    assert.equal(incoming?.channelData, undefined);
    assert.ok(JSON.stringify(incoming).length < 32_000);
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
      writer.entries[0]?.activities.map((a) => a.type),
      ['message', 'message', ActivityTypes.MessageUpdate, ActivityTypes.MessageDelete],
    );
  });
});
