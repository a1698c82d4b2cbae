import assert from 'node:assert/strict';
import { MemoryStorage } from 'botbuilder';
import { MemoryTranscriptStore } from '../../src/infra/memory-transcript-store';
import { MemoryTurnGuard } from '../../src/infra/turn-guard';
import { isDuplicate } from '../support/turns';
import { turnGuardBehaviour, turnStateBehaviour } from './turn-guard.behaviour';

describe('MemoryTurnGuard', () => {
  turnGuardBehaviour(async ({ waitMs }) => new MemoryTurnGuard({ storage: new MemoryStorage(), waitMs }));

  turnStateBehaviour(async () => {
    const archive = new MemoryTranscriptStore({ clock: { now: () => new Date('2014-11-20T09:00:00Z') } });
    return { guard: new MemoryTurnGuard({ storage: new MemoryStorage(), transcripts: archive }), archive };
  });

  it('forgets an activity after the duplicate window', async () => {
    let now = 0;
    const guard = new MemoryTurnGuard({
      storage: new MemoryStorage(),
      duplicateTtlMs: 120_000,
      now: () => now,
    });
    assert.equal(await isDuplicate(guard, 'webchat', 'a'), false);
    now = 119_000;
    assert.equal(await isDuplicate(guard, 'webchat', 'a'), true);
    now = 240_001;
    assert.equal(await isDuplicate(guard, 'webchat', 'a'), false);
  });
});
