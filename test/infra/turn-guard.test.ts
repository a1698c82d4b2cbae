import assert from 'node:assert/strict';
import { MemoryTurnGuard } from '../../src/infra/turn-guard';
import { turnGuardBehaviour } from './turn-guard.behaviour';

describe('MemoryTurnGuard', () => {
  turnGuardBehaviour(async ({ waitMs }) => new MemoryTurnGuard({ waitMs }));

  it('forgets an activity after the duplicate window', async () => {
    let now = 0;
    const guard = new MemoryTurnGuard({ duplicateTtlMs: 120_000, now: () => now });
    assert.equal(await guard.isDuplicate('webchat', 'a'), false);
    now = 119_000;
    assert.equal(await guard.isDuplicate('webchat', 'a'), true);
    now = 240_001;
    assert.equal(await guard.isDuplicate('webchat', 'a'), false);
  });
});
