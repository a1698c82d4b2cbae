import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'mocha';
import type { HandoffStore } from '../../src/domain/handoff/ports';

const T0 = Date.parse('2014-12-04T16:50:00+01:00');
const MINUTE = 60_000;

export interface HandoffSubject {
  readonly store: HandoffStore;
  cleanup(): Promise<void>;
}

/** What every HandoffStore must do (memory and Redis): one queue, one agent per conversation. */
export function handoffStoreContract(name: string, factory: () => Promise<HandoffSubject>): void {
  describe(`${name}: handoff store contract`, () => {
    let subject: HandoffSubject;
    let store: HandoffStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const ask = (conversationId = `conv-${randomUUID()}`, email?: string) =>
      store
        .request(
          {
            channelId: 'webchat',
            conversationId,
            conversation: { channelId: 'webchat', conversation: { id: conversationId } },
            ...(email ? { email } : {}),
          },
          T0,
        )
        .then((outcome) => ({ outcome, conversationId }));

    it('queues a conversation once, lists it waiting, oldest first', async () => {
      const first = await ask(undefined, 'marie.curie@ac-paris.fr');
      assert.equal(first.outcome, 'queued');
      assert.equal((await ask(first.conversationId)).outcome, 'already');
      const list = await store.list();
      assert.deepEqual(
        list.map((h) => [h.conversationId, h.status, h.since, h.email]),
        [[first.conversationId, 'waiting', T0, 'marie.curie@ac-paris.fr']],
      );
    });

    it('lets one agent take it, whatever the concurrency', async () => {
      const { conversationId } = await ask();
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((agent) => store.take('webchat', conversationId, agent, T0 + MINUTE)),
      );
      assert.deepEqual(outcomes.filter((o) => o === 'taken').length, 1);
      assert.deepEqual(outcomes.filter((o) => o === 'not-waiting').length, 3);
      const taken = await store.get('webchat', conversationId);
      assert.equal(taken?.status, 'taken');
      assert.equal(taken?.since, T0 + MINUTE);
      assert.equal(await store.take('webchat', 'conv-none', 'a', T0), 'gone');
    });

    it('keeps the messages with cursors, returns what came after one', async () => {
      const { conversationId } = await ask();
      const c1 = await store.append('webchat', conversationId, { at: T0, from: 'teacher', text: 'Allô ?' });
      await store.append('webchat', conversationId, {
        at: T0 + 1,
        from: 'agent',
        text: 'Bonjour',
        agent: 'a',
      });
      const all = await store.messages('webchat', conversationId);
      assert.deepEqual(
        all.map((m) => [m.from, m.text, m.agent]),
        [
          ['teacher', 'Allô ?', undefined],
          ['agent', 'Bonjour', 'a'],
        ],
      );
      assert.deepEqual(
        (await store.messages('webchat', conversationId, c1)).map((m) => m.text),
        ['Bonjour'],
      );
      assert.deepEqual(await store.messages('webchat', conversationId, all[1]?.cursor), []);
    });

    it('sends a silent agent’s conversation back to the queue; an agent who speaks keeps it', async () => {
      const silent = await ask();
      const talking = await ask();
      await store.take('webchat', silent.conversationId, 'a', T0);
      await store.take('webchat', talking.conversationId, 'b', T0);
      await store.append('webchat', talking.conversationId, {
        at: T0 + 9 * MINUTE,
        from: 'agent',
        text: 'Je regarde',
      });
      const back = await store.requeueSilent(T0 + 5 * MINUTE, T0 + 10 * MINUTE);
      assert.deepEqual(
        back.map((h) => h.conversationId),
        [silent.conversationId],
      );
      assert.equal((await store.get('webchat', silent.conversationId))?.status, 'waiting');
      assert.equal((await store.get('webchat', silent.conversationId))?.agent, undefined);
      assert.equal((await store.get('webchat', talking.conversationId))?.status, 'taken');
    });

    it('drops what nobody took in time, and ends a handoff: the conversation is the bot’s again', async () => {
      const old = await ask();
      const taken = await ask();
      const night = `conv-${randomUUID()}`;
      await store.request(
        {
          channelId: 'webchat',
          conversationId: night,
          conversation: { channelId: 'webchat', conversation: { id: night } },
          outsideHours: true,
        },
        T0,
      );
      await store.take('webchat', taken.conversationId, 'a', T0);
      const dropped = await store.dropUntaken(T0 + 1);
      // Asked outside the hours: kept for the helpdesk, which answers when it opens.
      assert.equal((await store.get('webchat', night))?.status, 'waiting');
      await store.end('webchat', night);
      assert.deepEqual(
        dropped.map((h) => h.conversationId),
        [old.conversationId],
      );
      assert.equal(await store.get('webchat', old.conversationId), null);
      const ended = await store.end('webchat', taken.conversationId);
      assert.equal(ended?.agent, 'a');
      assert.equal(await store.get('webchat', taken.conversationId), null);
      assert.deepEqual(await store.list(), []);
      assert.equal(await store.end('webchat', taken.conversationId), null);
    });
  });
}
