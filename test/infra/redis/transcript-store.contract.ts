import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { Clock } from '../../../src/clock';
import { byteLength } from '../../../src/domain/transcripts/lines';
import type {
  TranscriptArchive,
  TranscriptEntry,
  TranscriptLine,
  TranscriptWriter,
} from '../../../src/domain/transcripts/ports';
import { MASK } from '../../../src/domain/transcripts/redaction';

export type Store = TranscriptArchive &
  TranscriptWriter & {
    logActivity(activity: Activity): Promise<void>;
    getTranscriptActivities(
      channelId: string,
      conversationId: string,
      token?: string,
      startDate?: Date,
    ): Promise<{ items: Activity[]; continuationToken: string }>;
    listTranscripts(
      channelId: string,
      token?: string,
    ): Promise<{ items: Array<{ channelId: string; id: string; created: Date }>; continuationToken: string }>;
    deleteTranscript(channelId: string, conversationId: string): Promise<void>;
    indexAddress(channelId: string, conversationId: string, email: string): Promise<void>;
  };

/** A clock the test moves; 2014-11-20 10:00 Paris. */
export function testClock(start = '2014-11-20T09:00:00Z'): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), set: (iso) => (now = new Date(iso)) };
}

/** The line of the teacher's i-th message (as the middleware makes it). */
export function message(i: number, at = new Date(Date.UTC(2014, 10, 20, 9, 0, i))): TranscriptLine {
  return { type: 'message', id: `m${i}`, role: 'user', text: `message ${i}`, at: at.toISOString() };
}

export function entry(conversationId: string, lines: TranscriptLine[], email?: string): TranscriptEntry {
  return { channelId: 'webchat', conversationId, lines, ...(email ? { email } : {}) };
}

/** The store made with these bounds (lines and bytes per conversation). */
export type MakeStore = (
  clock: Clock,
  bounds?: { maxLines?: number; maxBytes?: number },
) => Promise<{ store: Store; cleanup(): Promise<void> }>;

/** Cleans up the store of the test and makes another one with other bounds, on the same clock. */
async function replaced(
  make: MakeStore,
  clock: Clock,
  cleanup: () => Promise<void>,
  bounds: { maxLines?: number; maxBytes?: number },
) {
  await cleanup();
  return make(clock, bounds);
}

/** The same behaviour in Redis and in memory (embedded mode). */
export function transcriptStoreContract(name: string, make: MakeStore) {
  describe(`${name}: TranscriptStore and TranscriptArchive`, () => {
    let store: Store;
    let clock: ReturnType<typeof testClock>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      clock = testClock();
      ({ store, cleanup } = await make(clock));
    });
    afterEach(async () => cleanup());

    it('keeps activities in order and pages them 20 at a time with continuation tokens', async () => {
      for (let turn = 0; turn < 5; turn++) {
        await store.append(
          entry(
            'c1',
            Array.from({ length: 9 }, (_, k) => message(turn * 9 + k)),
          ),
        );
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.getTranscriptActivities('webchat', 'c1', token);
        assert.ok(page.items.length <= 20);
        for (const a of page.items) {
          seen.push(a.id ?? '');
          assert.ok(a.timestamp instanceof Date, 'botbuilder’s shape: timestamps as Date');
        }
        token = page.continuationToken || undefined;
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen,
        Array.from({ length: 45 }, (_, i) => `m${i}`),
      );
      const stored = await store.activities('webchat', 'c1');
      assert.equal(stored.length, 45);
      assert.equal(
        stored[0]?.timestamp,
        '2014-11-20T09:00:00.000Z',
        'the archive gives JSON, as .transcript',
      );
      await assert.rejects(store.getTranscriptActivities('webchat', 'c1', 'not-a-token'), RangeError);
    });

    it('filters by startDate, still in pages', async () => {
      await store.append(
        entry(
          'c1',
          Array.from({ length: 30 }, (_, i) => message(i)),
        ),
      );
      const page = await store.getTranscriptActivities(
        'webchat',
        'c1',
        undefined,
        new Date('2014-11-20T09:00:25Z'),
      );
      assert.deepEqual(
        page.items.map((a) => a.id),
        ['m25', 'm26', 'm27', 'm28', 'm29'],
      );
      assert.equal(page.continuationToken, '');
    });

    it('lists the transcripts of a channel, paged, with their creation date', async () => {
      for (let i = 0; i < 25; i++) await store.append(entry(`conv-${i}`, [message(i)]));
      await store.append({ channelId: 'msteams', conversationId: 'other', lines: [message(0)] });
      const first = await store.listTranscripts('webchat');
      assert.equal(first.items.length, 20);
      assert.ok(first.continuationToken);
      const second = await store.listTranscripts('webchat', first.continuationToken);
      assert.equal(second.items.length, 5);
      assert.equal(second.continuationToken, '');
      const ids = [...first.items, ...second.items].map((t) => t.id).sort();
      assert.deepEqual(ids, Array.from({ length: 25 }, (_, i) => `conv-${i}`).sort());
      assert.ok(first.items.every((t) => t.channelId === 'webchat' && t.created instanceof Date));
    });

    it('summarises and finds a conversation by address (normalised) and by Paris day', async () => {
      clock.set('2014-11-20T23:30:00Z'); // already the 21st in Paris
      await store.append(entry('c1', [message(1)]));
      assert.equal((await store.summary('webchat', 'c1'))?.email, undefined);
      clock.set('2014-11-20T23:40:00Z');
      await store.append(entry('c1', [message(2)], 'jean.martin@ac-paris.fr'));
      await store.append(entry('c2', [message(3)]));
      await store.indexAddress('webchat', 'c2', ' Jean.Martin@AC-PARIS.fr ');

      const summary = await store.summary('webchat', 'c1');
      assert.deepEqual(summary, {
        channelId: 'webchat',
        conversationId: 'c1',
        created: '2014-11-20T23:30:00.000Z',
        lastActivity: '2014-11-20T23:40:00.000Z',
        email: 'jean.martin@ac-paris.fr',
      });
      const found = await store.findByEmail('JEAN.MARTIN@ac-paris.fr');
      assert.deepEqual(found.map((s) => s.conversationId).sort(), ['c1', 'c2']);
      assert.deepEqual((await store.findByDay('2014-11-21')).map((s) => s.conversationId).sort(), [
        'c1',
        'c2',
      ]);
      assert.deepEqual(await store.findByDay('2014-11-20'), []);
      assert.deepEqual(await store.findByDay('not a day'), []);
      assert.deepEqual(await store.findByEmail('marie.curie@ac-paris.fr'), []);
      assert.equal(await store.summary('webchat', 'absent'), null);
    });

    it('keeps the académie of the conversation in its summary, the latest one told (issue 14)', async () => {
      await store.append(entry('c1', [message(1)]));
      assert.equal((await store.summary('webchat', 'c1'))?.academie, undefined);
      await store.append({ ...entry('c1', [message(2)]), academie: 'guadeloupe' });
      await store.append(entry('c1', [message(3)]));
      assert.equal(
        (await store.summary('webchat', 'c1'))?.academie,
        'guadeloupe',
        'kept by a turn without it',
      );
      await store.append({ ...entry('c1', [message(4)], 'marie.payet@ac-reunion.fr'), academie: 'reunion' });
      const summary = await store.summary('webchat', 'c1');
      assert.equal(summary?.academie, 'reunion');
      assert.equal((await store.findByEmail('marie.payet@ac-reunion.fr'))[0]?.academie, 'reunion');
      assert.equal((await store.activities('webchat', 'c1')).length, 4, 'no line lost to the new argument');
    });

    it('deletes one transcript, and every transcript of one teacher on request', async () => {
      await store.append(entry('c1', [message(1)], 'jean.martin@ac-paris.fr'));
      await store.append(entry('c2', [message(2)], 'jean.martin@ac-paris.fr'));
      await store.append(entry('c3', [message(3)], 'marie.curie@ac-paris.fr'));
      await store.append(entry('c4', [message(4)]));

      assert.equal(await store.deleteByEmail('Jean.Martin@ac-paris.fr'), 2);
      assert.deepEqual(await store.findByEmail('jean.martin@ac-paris.fr'), []);
      assert.deepEqual(await store.activities('webchat', 'c1'), []);
      assert.equal(await store.summary('webchat', 'c2'), null);
      assert.deepEqual((await store.findByDay('2014-11-20')).map((s) => s.conversationId).sort(), [
        'c3',
        'c4',
      ]);
      assert.equal(await store.deleteByEmail('jean.martin@ac-paris.fr'), 0);

      await store.deleteTranscript('webchat', 'c4');
      assert.deepEqual(
        (await store.findByDay('2014-11-20')).map((s) => s.conversationId),
        ['c3'],
      );
      assert.deepEqual(
        (await store.listTranscripts('webchat')).items.map((t) => t.id),
        ['c3'],
      );
    });

    it('redacts what logActivity receives (botbuilder’s own logger path), and keeps a line of it', async () => {
      await store.logActivity({
        type: 'message',
        id: 'm1',
        channelId: 'webchat',
        conversation: { id: 'c1' },
        from: { id: 'u1', role: 'user' },
        timestamp: '2014-11-20T09:00:01.000Z',
        text: 'mon numen 01E9501234ABC',
        value: { password: 'Electeur2014' },
        channelData: { clientActivityID: 'x'.repeat(10_000) },
      } as unknown as Activity);
      const [stored] = await store.activities('webchat', 'c1');
      assert.equal(stored?.text, `mon numen ${MASK}`);
      assert.deepEqual(stored?.value, { password: MASK });
      assert.equal(stored?.channelData, undefined);
      assert.deepEqual(stored?.from, { id: 'user', role: 'user' });
    });

    it('gives back minimal activities the Emulator opens: ids, time, conversation, sender and recipient', async () => {
      await store.append(
        entry('c1', [
          { type: 'conversationUpdate', role: 'user', at: '2014-11-20T09:00:00.000Z' },
          { ...message(1), choices: ['Aide'] },
          {
            type: 'message',
            role: 'bot',
            at: '2014-11-20T09:00:02.000Z',
            replyToId: 'm1',
            text: 'Saisissez votre mot de passe.',
            attachments: [
              { contentType: 'application/vnd.microsoft.card.adaptive', summary: 'Mot de passe électeur' },
              { contentType: 'application/vnd.microsoft.card.hero', summary: 'Votre lien' },
              { contentType: 'image/png', summary: 'capture.png (image/png)' },
            ],
          },
        ]),
      );
      const [joined, said, reply] = await store.activities('webchat', 'c1');
      assert.deepEqual(joined, {
        type: 'conversationUpdate',
        id: 'ligne-1',
        timestamp: '2014-11-20T09:00:00.000Z',
        channelId: 'webchat',
        conversation: { id: 'c1' },
        from: { id: 'user', role: 'user' },
        recipient: { id: 'bot', role: 'bot' },
      });
      assert.deepEqual(said?.suggestedActions, {
        actions: [{ type: 'imBack', title: 'Aide', value: 'Aide' }],
      });
      assert.deepEqual(reply?.recipient, { id: 'user', role: 'user' });
      assert.equal(reply?.replyToId, 'm1');
      assert.deepEqual(reply?.attachments, [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            version: '1.5',
            body: [{ type: 'TextBlock', text: 'Mot de passe électeur', wrap: true }],
            fallbackText: 'Mot de passe électeur',
          },
        },
        { contentType: 'application/vnd.microsoft.card.hero', content: { text: 'Votre lien' } },
        { contentType: 'text/plain', content: 'capture.png (image/png)' },
      ]);
    });

    it('bounds a conversation: past its lines or bytes, lines are dropped, counted, behind one marker', async () => {
      ({ store, cleanup } = await replaced(make, clock, cleanup, { maxLines: 5, maxBytes: 100_000 }));
      await store.append(
        entry(
          'c1',
          [0, 1, 2].map((i) => message(i)),
        ),
      );
      await store.append(
        entry(
          'c1',
          [3, 4, 5, 6].map((i) => message(i)),
        ),
      );
      await store.append(entry('c1', [message(7)]));
      const kept = await store.activities('webchat', 'c1');
      assert.deepEqual(
        kept.map((a) => a.text),
        [
          'message 0',
          'message 1',
          'message 2',
          'message 3',
          'message 4',
          'La transcription s’arrête ici\u00a0: la conversation a dépassé la taille conservée. Messages non conservés\u00a0: 3.',
        ],
      );
      assert.equal(kept.at(-1)?.type, 'message');
      assert.equal((await store.summary('webchat', 'c1'))?.lastActivity, clock.now().toISOString());

      // By bytes: a line that would pass the total is refused, and so is everything after it.
      const big = { ...message(1), text: 'é'.repeat(1_500) };
      const size = byteLength(big);
      ({ store, cleanup } = await replaced(make, clock, cleanup, { maxLines: 100, maxBytes: 3 * size + 10 }));
      await store.append(entry('c2', [big, big, big, big, message(9)]));
      const bytes = await store.activities('webchat', 'c2');
      assert.equal(bytes.length, 4);
      assert.match(String(bytes[3]?.text), /Messages non conservés\u00a0: 2\./);
    });

    it('keeps every line within its bounds, whatever it is given', async () => {
      await store.append(
        entry('c1', [{ ...message(1), text: '€'.repeat(3_000), choices: ['x'.repeat(5_000)] }]),
      );
      const [stored] = await store.activities('webchat', 'c1');
      assert.ok(byteLength(stored) < 5_000, `${byteLength(stored)} bytes`);
      assert.ok(String(stored?.text).endsWith(' […]'));
    });

    it('keeps ids of any length and shape apart', async () => {
      const hostile = ['a:b', 'a/b', `${'x'.repeat(5000)}`, '#short', 'meta', '*', 'é è \n'];
      for (const [i, id] of hostile.entries())
        await store.append(entry(id, [{ ...message(1), text: `conversation ${i}` }]));
      await store.append({
        channelId: 'meta',
        conversationId: 'a:b',
        lines: [{ ...message(1), text: 'channel meta' }],
      });
      await store.append({
        channelId: 'web/chat:x',
        conversationId: 'b',
        lines: [{ ...message(1), text: 'odd channel' }],
      });
      for (const [i, id] of hostile.entries()) {
        const [stored] = await store.activities('webchat', id);
        assert.equal(stored?.text, `conversation ${i}`);
        assert.deepEqual(stored?.conversation, { id }, 'the export names the real conversation');
        assert.equal((await store.summary('webchat', id))?.conversationId, id);
      }
      assert.equal((await store.activities('meta', 'a:b'))[0]?.text, 'channel meta');
      assert.equal((await store.summary('web/chat:x', 'b'))?.channelId, 'web/chat:x');
      const listed = await store.listTranscripts('webchat');
      assert.equal(listed.items.length, hostile.length);
    });
  });
}
