import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { Reminder, ReminderKind, ReminderStore } from '../../src/domain/reminders/ports';

const T0 = Date.parse('2014-11-20T09:00:00+01:00');
const HOUR = 3_600_000;

export interface ReminderSubject {
  readonly store: ReminderStore;
  cleanup(): Promise<void>;
}

function reminder(kind: ReminderKind, dueAt: number, tag = randomBytes(12).toString('base64url')): Reminder {
  return {
    id: `${tag}:${kind}`,
    kind,
    conversationTag: tag,
    conversation: { channelId: 'webchat', conversation: { id: `conv-${tag}` } },
    dueAt,
  };
}

/** What every ReminderStore must do (memory and Redis): one per kind and conversation, at most once. */
export function reminderStoreContract(name: string, factory: () => Promise<ReminderSubject>): void {
  describe(`${name}: reminder store contract`, () => {
    let subject: ReminderSubject;
    let store: ReminderStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('hands a reminder out once, at its time, never before', async () => {
      const r = reminder('voteOpens', T0 + HOUR);
      await store.schedule(r, T0);
      assert.deepEqual(await store.claimDue(T0 + HOUR - 1, 10), []);
      const claimed = await store.claimDue(T0 + HOUR, 10);
      assert.deepEqual(
        claimed.map((c) => [c.id, c.attempts]),
        [[r.id, 0]],
      );
      assert.deepEqual(await store.claimDue(T0 + 2 * HOUR, 10), [], 'taken means gone from the queue');
    });

    it('never gives one reminder to two concurrent claimers', async () => {
      const many = Array.from({ length: 30 }, (_, i) => reminder('voteOpens', T0 + i));
      for (const r of many) await store.schedule(r, T0);
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimDue(T0 + HOUR, 10)));
      const ids = claims.flat().map((c) => c.id);
      assert.equal(ids.length, 30);
      assert.equal(new Set(ids).size, 30);
    });

    it('keeps one reminder per kind and conversation: scheduling again moves it', async () => {
      const first = reminder('voteClosing', T0 + HOUR);
      await store.schedule(first, T0);
      await store.schedule({ ...first, dueAt: T0 + 3 * HOUR }, T0);
      assert.deepEqual(await store.claimDue(T0 + 2 * HOUR, 10), []);
      assert.equal((await store.claimDue(T0 + 3 * HOUR, 10)).length, 1);
    });

    it('cancels a conversation’s reminders, of some kinds or all, and lists what is scheduled', async () => {
      const tag = randomBytes(12).toString('base64url');
      for (const kind of ['unconfirmed', 'voteOpens', 'voteClosing'] as const)
        await store.schedule(reminder(kind, T0 + HOUR, tag), T0);
      assert.equal((await store.scheduled(tag)).length, 3);
      assert.equal(await store.cancel(tag, ['unconfirmed']), 1);
      assert.deepEqual((await store.scheduled(tag)).map((r) => r.kind).sort(), ['voteClosing', 'voteOpens']);
      assert.equal(await store.cancel(tag), 2);
      assert.deepEqual(await store.claimDue(T0 + 2 * HOUR, 10), []);
      assert.equal(await store.cancel(tag), 0);
    });

    it('puts back a delivery that certainly failed, counting it; a done one is forgotten', async () => {
      const r = reminder('unconfirmed', T0);
      await store.schedule(r, T0);
      const [claimed] = await store.claimDue(T0, 10);
      assert.ok(claimed);
      await store.retry(claimed, T0 + 60_000, T0);
      assert.deepEqual(await store.claimDue(T0 + 59_999, 10), []);
      const [again] = await store.claimDue(T0 + 60_000, 10);
      assert.equal(again?.attempts, 1);
      await store.done(r.id);
      assert.deepEqual(await store.claimDue(T0 + 10 * HOUR, 10), []);
      assert.deepEqual(await store.scheduled(r.conversationTag), []);
    });
  });
}
