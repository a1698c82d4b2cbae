import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { Clock } from '../../../src/clock';
import type {
  TranscriptArchive,
  TranscriptEntry,
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

export function message(i: number, at = new Date(Date.UTC(2014, 10, 20, 9, 0, i))): Record<string, unknown> {
  return {
    type: 'message',
    id: `m${i}`,
    channelId: 'webchat',
    conversation: { id: 'c1' },
    from: { id: 'u1', role: 'user' },
    text: `message ${i}`,
    timestamp: at.toISOString(),
  };
}

export function entry(
  conversationId: string,
  activities: Array<Record<string, unknown>>,
  email?: string,
): TranscriptEntry {
  return { channelId: 'webchat', conversationId, activities, ...(email ? { email } : {}) };
}

/** The same behaviour in Redis and in memory (embedded mode). */
export function transcriptStoreContract(
  name: string,
  make: (clock: Clock) => Promise<{ store: Store; cleanup(): Promise<void> }>,
) {
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
      await store.append({ channelId: 'msteams', conversationId: 'other', activities: [message(0)] });
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

    it('redacts what logActivity receives (botbuilder’s own logger path)', async () => {
      await store.logActivity({
        ...message(1),
        text: 'mon numen 01E9501234ABC',
        value: { password: 'Electeur2014' },
      } as unknown as Activity);
      const [stored] = await store.activities('webchat', 'c1');
      assert.equal(stored?.text, `mon numen ${MASK}`);
      assert.deepEqual(stored?.value, { password: MASK });
    });

    it('keeps ids of any length and shape apart', async () => {
      const hostile = ['a:b', 'a/b', `${'x'.repeat(5000)}`, '#short', 'meta', '*', 'é è \n'];
      for (const id of hostile) await store.append(entry(id, [{ ...message(1), text: id }]));
      await store.append({
        channelId: 'meta',
        conversationId: 'a:b',
        activities: [{ text: 'channel meta' }],
      });
      await store.append({
        channelId: 'web/chat:x',
        conversationId: 'b',
        activities: [{ text: 'odd channel' }],
      });
      for (const id of hostile) {
        const [stored] = await store.activities('webchat', id);
        assert.equal(stored?.text, id);
        assert.equal((await store.summary('webchat', id))?.conversationId, id);
      }
      assert.equal((await store.activities('meta', 'a:b'))[0]?.text, 'channel meta');
      assert.equal((await store.summary('web/chat:x', 'b'))?.channelId, 'web/chat:x');
      const listed = await store.listTranscripts('webchat');
      assert.equal(listed.items.length, hostile.length);
    });
  });
}
