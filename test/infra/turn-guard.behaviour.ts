import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TranscriptArchive } from '../../src/domain/transcripts/ports';
import type { TurnGuard } from '../../src/domain/turns/ports';
import { isAppError } from '../../src/errors';
import { failTurn, isDuplicate, withLock } from '../support/turns';

/** What every TurnGuard must do, run against the memory and the Redis implementations. */
export function turnGuardBehaviour(make: (options: { waitMs: number }) => Promise<TurnGuard>): void {
  it('lets an activity through once and drops its retries', async () => {
    const guard = await make({ waitMs: 1000 });
    assert.equal(await isDuplicate(guard, 'msteams', 'act-1'), false);
    assert.equal(await isDuplicate(guard, 'msteams', 'act-1'), true);
    assert.equal(await isDuplicate(guard, 'msteams', 'act-2'), false);
    assert.equal(await isDuplicate(guard, 'webchat', 'act-1'), false, 'ids are per channel');
  });

  it('forgets an activity whose turn failed, so that its retry is processed', async () => {
    const guard = await make({ waitMs: 1000 });
    await failTurn(guard, 'msteams', 'act-failed');
    assert.equal(await isDuplicate(guard, 'msteams', 'act-failed'), false);
    assert.equal(await isDuplicate(guard, 'msteams', 'act-failed'), true);
  });

  it('never drops an activity without id', async () => {
    const guard = await make({ waitMs: 1000 });
    assert.equal(await isDuplicate(guard, 'webchat', ''), false);
    assert.equal(await isDuplicate(guard, 'webchat', ''), false);
  });

  it('counts a burst of identical retries once', async () => {
    const guard = await make({ waitMs: 1000 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => isDuplicate(guard, 'webchat', 'same')),
    );
    assert.equal(results.filter((duplicate) => !duplicate).length, 1);
  });

  it('runs the turns of one conversation one at a time, in order', async () => {
    const guard = await make({ waitMs: 5000 });
    const events: string[] = [];
    let running = 0;
    const turn = (name: string) =>
      withLock(guard, 'conv-a', async () => {
        running += 1;
        assert.equal(running, 1, 'two turns of one conversation overlapped');
        events.push(`start ${name}`);
        await sleep(30);
        events.push(`end ${name}`);
        running -= 1;
        return name;
      });
    const first = turn('1');
    await sleep(5);
    const results = await Promise.all([first, turn('2'), turn('3')]);
    assert.deepEqual(results, ['1', '2', '3']);
    assert.equal(events.length, 6);
    assert.equal(events[0], 'start 1');
    assert.equal(events[1], 'end 1');
  });

  it('does not make two conversations wait for each other', async () => {
    const guard = await make({ waitMs: 5000 });
    let releaseA: () => void = () => {};
    const a = withLock(guard, 'conv-a', () => new Promise<void>((resolve) => (releaseA = resolve)));
    await sleep(10);
    const b = await withLock(guard, 'conv-b', async () => 'b done');
    assert.equal(b, 'b done');
    releaseA();
    await a;
  });

  it('releases the lock when the turn throws, and passes the error on', async () => {
    const guard = await make({ waitMs: 2000 });
    await assert.rejects(
      withLock(guard, 'conv-a', async () => {
        throw new Error('dialog failed');
      }),
      /dialog failed/,
    );
    assert.equal(await withLock(guard, 'conv-a', async () => 'next turn'), 'next turn');
  });

  it('gives up after a bounded wait with STORE_UNAVAILABLE', async () => {
    const guard = await make({ waitMs: 150 });
    let release: () => void = () => {};
    const holder = withLock(guard, 'conv-a', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(10);
    const started = performance.now();
    await assert.rejects(
      withLock(guard, 'conv-a', async () => 'never'),
      (error: unknown) => isAppError(error, 'STORE_UNAVAILABLE') && /lock timeout/.test(error.message),
    );
    const waited = performance.now() - started;
    assert.ok(waited >= 120 && waited < 1500, `waited ${waited} ms`);
    release();
    await holder;
    assert.equal(await withLock(guard, 'conv-a', async () => 'after'), 'after');
  });
}

/** The state and transcript a turn carries, against the memory and the Redis implementations. */
export function turnStateBehaviour(
  make: () => Promise<{ guard: TurnGuard; archive: TranscriptArchive }>,
): void {
  const key = { channelId: 'webchat', conversationId: 'conv-state' };
  const line = (text: string) => ({
    type: 'message',
    at: '2014-11-20T08:00:00.000Z',
    role: 'user' as const,
    text,
  });

  const open = async (guard: TurnGuard, activityId?: string) => {
    const turn = await guard.begin({ ...key, activityId });
    assert.notEqual(turn, 'duplicate');
    return turn as Exclude<typeof turn, 'duplicate'>;
  };

  it('reads no state for a new conversation, then the state the previous turn wrote, with a new eTag', async () => {
    const { guard } = await make();
    const first = await open(guard, 'a1');
    assert.equal(first.state, undefined);
    await first.end({ failed: false, state: JSON.stringify({ step: 1, texte: 'élève' }) });
    const second = await open(guard, 'a2');
    assert.deepEqual(JSON.parse(second.state?.json ?? 'null'), { step: 1, texte: 'élève' });
    const eTag = second.state?.eTag;
    assert.ok(eTag);
    await second.end({ failed: false, state: JSON.stringify({ step: 2 }) });
    const third = await open(guard, 'a3');
    assert.deepEqual(JSON.parse(third.state?.json ?? 'null'), { step: 2 });
    assert.notEqual(third.state?.eTag, eTag);
    await third.end({ failed: false });
    assert.deepEqual(
      JSON.parse((await open(guard, 'a4')).state?.json ?? 'null'),
      { step: 2 },
      'left as it was',
    );
  });

  it('writes no state for a failed turn, and deletes it when asked', async () => {
    const { guard } = await make();
    await (await open(guard)).end({ failed: false, state: '{"step":1}' });
    await (await open(guard)).end({ failed: true, state: '{"step":99}' });
    const turn = await open(guard);
    assert.equal(turn.state?.json, '{"step":1}');
    await turn.end({ failed: false, state: null });
    const after = await open(guard);
    assert.equal(after.state, undefined);
    await after.end({ failed: false });
  });

  it('appends the turn’s transcript lines with its end, failed turns included, indexed by the address given', async () => {
    const { guard, archive } = await make();
    await (await open(guard, 't1')).end({
      failed: false,
      state: '{}',
      transcript: { ...key, lines: [line('Bonjour'), line('Quand a lieu le vote ?')] },
    });
    await (await open(guard, 't2')).end({
      failed: true,
      transcript: { ...key, lines: [line('oui')], email: 'jean.martin@ac-paris.fr' },
    });
    const activities = await archive.activities(key.channelId, key.conversationId);
    assert.deepEqual(
      activities.map((a) => a.text),
      ['Bonjour', 'Quand a lieu le vote ?', 'oui'],
    );
    const found = await archive.findByEmail('jean.martin@ac-paris.fr');
    assert.deepEqual(
      found.map((s) => s.conversationId),
      [key.conversationId],
    );
  });
}
