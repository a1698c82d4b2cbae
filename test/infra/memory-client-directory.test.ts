import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryClientDirectory } from '../../src/infra/memory-client-directory';

describe('MemoryClientDirectory (embedded mode)', () => {
  it('forgets a pair after its time, and keeps at most `max` pairs, the oldest going first', async () => {
    let now = 0;
    const directory = new MemoryClientDirectory({ now: () => new Date(now) }, 2);
    await directory.remember('dl_a', 'client-1', 1_000);
    assert.equal(await directory.clientOf('dl_a'), 'client-1');
    now = 1_000;
    assert.equal(await directory.clientOf('dl_a'), undefined);
    await directory.remember('dl_b', 'client-2', 10_000);
    await directory.remember('dl_c', 'client-3', 10_000);
    await directory.remember('dl_d', 'client-4', 10_000);
    assert.equal(await directory.clientOf('dl_b'), undefined);
    assert.equal(await directory.clientOf('dl_d'), 'client-4');
  });
});
