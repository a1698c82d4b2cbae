import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../../src/errors';
import type { TurnGuard } from '../../src/infra/turn-guard';

/** What every TurnGuard must do, run against the memory and the Redis implementations. */
export function turnGuardBehaviour(make: (options: { waitMs: number }) => Promise<TurnGuard>): void {
  it('lets an activity through once and drops its retries', async () => {
    const guard = await make({ waitMs: 1000 });
    assert.equal(await guard.isDuplicate('msteams', 'act-1'), false);
    assert.equal(await guard.isDuplicate('msteams', 'act-1'), true);
    assert.equal(await guard.isDuplicate('msteams', 'act-2'), false);
    assert.equal(await guard.isDuplicate('webchat', 'act-1'), false, 'ids are per channel');
  });

  it('forgets an activity whose turn failed, so that its retry is processed', async () => {
    const guard = await make({ waitMs: 1000 });
    assert.equal(await guard.isDuplicate('msteams', 'act-failed'), false);
    await guard.forget('msteams', 'act-failed');
    assert.equal(await guard.isDuplicate('msteams', 'act-failed'), false);
    assert.equal(await guard.isDuplicate('msteams', 'act-failed'), true);
  });

  it('never drops an activity without id', async () => {
    const guard = await make({ waitMs: 1000 });
    assert.equal(await guard.isDuplicate('webchat', ''), false);
    assert.equal(await guard.isDuplicate('webchat', ''), false);
  });

  it('counts a burst of identical retries once', async () => {
    const guard = await make({ waitMs: 1000 });
    const results = await Promise.all(Array.from({ length: 10 }, () => guard.isDuplicate('webchat', 'same')));
    assert.equal(results.filter((duplicate) => !duplicate).length, 1);
  });

  it('runs the turns of one conversation one at a time, in order', async () => {
    const guard = await make({ waitMs: 5000 });
    const events: string[] = [];
    let running = 0;
    const turn = (name: string) =>
      guard.withLock('conv-a', async () => {
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
    const a = guard.withLock('conv-a', () => new Promise<void>((resolve) => (releaseA = resolve)));
    await sleep(10);
    const b = await guard.withLock('conv-b', async () => 'b done');
    assert.equal(b, 'b done');
    releaseA();
    await a;
  });

  it('releases the lock when the turn throws, and passes the error on', async () => {
    const guard = await make({ waitMs: 2000 });
    await assert.rejects(
      guard.withLock('conv-a', async () => {
        throw new Error('dialog failed');
      }),
      /dialog failed/,
    );
    assert.equal(await guard.withLock('conv-a', async () => 'next turn'), 'next turn');
  });

  it('gives up after a bounded wait with STORE_UNAVAILABLE', async () => {
    const guard = await make({ waitMs: 150 });
    let release: () => void = () => {};
    const holder = guard.withLock('conv-a', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(10);
    const started = performance.now();
    await assert.rejects(
      guard.withLock('conv-a', async () => 'never'),
      (error: unknown) => isAppError(error, 'STORE_UNAVAILABLE') && /lock timeout/.test(error.message),
    );
    const waited = performance.now() - started;
    assert.ok(waited >= 120 && waited < 1500, `waited ${waited} ms`);
    release();
    await holder;
    assert.equal(await guard.withLock('conv-a', async () => 'after'), 'after');
  });
}
