import assert from 'node:assert/strict';
import { RULES } from '../../src/domain/limits/rules';
import { MemoryRateLimiter } from '../../src/infra/memory-rate-limiter';
import { rateLimiterContract } from './rate-limiter.contract';

describe('MemoryRateLimiter', () => {
  rateLimiterContract(async () => new MemoryRateLimiter());

  it('forgets the stalest subjects beyond its bound, and a forgotten subject starts full', async () => {
    const limiter = new MemoryRateLimiter(2);
    const rule = { ...RULES.mailsPerAddress, burst: 1 };
    assert.ok((await limiter.consume(rule, 'a', 0)).allowed);
    assert.ok(!(await limiter.consume(rule, 'a', 0)).allowed);
    await limiter.consume(rule, 'b', 0);
    await limiter.consume(rule, 'c', 0);
    assert.ok((await limiter.consume(rule, 'a', 0)).allowed);
  });
});
