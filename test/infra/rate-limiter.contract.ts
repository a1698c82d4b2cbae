import assert from 'node:assert/strict';
import { gcra, type RateLimiter, type RateRule } from '../../src/domain/limits/rate-limiter';

const rule = (over: Partial<RateRule> = {}): RateRule => ({
  name: 'test-rule',
  burst: 3,
  intervalMs: 10_000,
  whenStoreDown: 'refuse',
  hashSubject: false,
  ...over,
});

const T0 = Date.parse('2014-11-20T09:00:00Z');

/**
 * What every RateLimiter must do, run against the memory and the Redis implementations. `make` gives a
 * fresh, empty limiter; times are passed in, never slept.
 */
export function rateLimiterContract(make: () => Promise<RateLimiter>): void {
  it('allows a burst, then refuses with the exact wait, then one more per interval', async () => {
    const limiter = await make();
    const r = rule();
    for (let i = 0; i < 3; i += 1) assert.deepEqual(await limiter.consume(r, 'a', T0), { allowed: true });
    assert.deepEqual(await limiter.consume(r, 'a', T0), { allowed: false, retryAfterMs: 10_000 });
    assert.deepEqual(await limiter.consume(r, 'a', T0 + 4_000), { allowed: false, retryAfterMs: 6_000 });
    assert.deepEqual(await limiter.consume(r, 'a', T0 + 10_000), { allowed: true });
    assert.deepEqual(await limiter.consume(r, 'a', T0 + 10_000), { allowed: false, retryAfterMs: 10_000 });
  });

  it('counts nothing for a refusal: a client that insists does not push its wait further', async () => {
    const limiter = await make();
    const r = rule({ burst: 1 });
    await limiter.consume(r, 'a', T0);
    for (let i = 0; i < 20; i += 1) await limiter.consume(r, 'a', T0 + 1_000);
    assert.deepEqual(await limiter.consume(r, 'a', T0 + 10_000), { allowed: true });
  });

  it('keeps subjects and rules apart', async () => {
    const limiter = await make();
    const one = rule({ burst: 1 });
    const other = rule({ burst: 1, name: 'other-rule' });
    assert.ok((await limiter.consume(one, 'a', T0)).allowed);
    assert.ok(!(await limiter.consume(one, 'a', T0)).allowed);
    assert.ok((await limiter.consume(one, 'b', T0)).allowed, 'another subject has its own budget');
    assert.ok((await limiter.consume(other, 'a', T0)).allowed, 'another rule has its own budget');
  });

  it('refills completely after burst × interval of quiet', async () => {
    const limiter = await make();
    const r = rule();
    for (let i = 0; i < 3; i += 1) await limiter.consume(r, 'a', T0);
    const later = T0 + 30_000;
    for (let i = 0; i < 3; i += 1) assert.ok((await limiter.consume(r, 'a', later)).allowed, `try ${i}`);
    assert.ok(!(await limiter.consume(r, 'a', later)).allowed);
  });

  it('peeks without counting, and says the same wait as consume would', async () => {
    const limiter = await make();
    const r = rule({ burst: 2 });
    for (let i = 0; i < 5; i += 1) assert.deepEqual(await limiter.peek(r, 'a', T0), { allowed: true });
    await limiter.consume(r, 'a', T0);
    await limiter.consume(r, 'a', T0);
    assert.deepEqual(await limiter.peek(r, 'a', T0 + 1_000), { allowed: false, retryAfterMs: 9_000 });
    assert.deepEqual(await limiter.consume(r, 'a', T0 + 1_000), { allowed: false, retryAfterMs: 9_000 });
  });

  it('refunds one action: exactly one interval back, the earlier ones stay counted', async () => {
    const limiter = await make();
    const r = rule({ burst: 3 });
    await limiter.consume(r, 'a', T0);
    await limiter.consume(r, 'a', T0);
    assert.ok((await limiter.consume(r, 'a', T0)).allowed, 'the third of the burst, paid');
    await limiter.refund(r, 'a', T0);
    assert.ok((await limiter.consume(r, 'a', T0)).allowed, 'its place is free again');
    assert.deepEqual(await limiter.consume(r, 'a', T0), { allowed: false, retryAfterMs: 10_000 });
    await limiter.refund(r, 'a', T0 + 1_000);
    assert.deepEqual(await limiter.peek(r, 'a', T0 + 1_000), { allowed: true });
    await limiter.consume(r, 'a', T0 + 1_000);
    assert.deepEqual(
      await limiter.peek(r, 'a', T0 + 1_000),
      { allowed: false, retryAfterMs: 9_000 },
      'the two earlier actions still count: a refund is not a reset',
    );
  });

  it('never refunds below what was counted: a full bucket stays full, other subjects keep theirs', async () => {
    const limiter = await make();
    const r = rule({ burst: 2 });
    await limiter.refund(r, 'never-seen', T0);
    await limiter.consume(r, 'a', T0);
    for (let i = 0; i < 5; i += 1) await limiter.refund(r, 'a', T0);
    assert.ok((await limiter.consume(r, 'a', T0)).allowed);
    assert.ok((await limiter.consume(r, 'a', T0)).allowed);
    assert.ok(!(await limiter.consume(r, 'a', T0)).allowed, 'five refunds gave back one action, not more');
    await limiter.consume(r, 'b', T0);
    await limiter.consume(r, 'b', T0);
    await limiter.refund(r, 'a', T0);
    assert.ok(!(await limiter.consume(r, 'b', T0)).allowed, 'only the subject refunded');
    // Half an interval later, one action has partly drained: the refund gives back the rest of one.
    await limiter.consume(r, 'c', T0);
    await limiter.refund(r, 'c', T0 + 5_000);
    assert.ok((await limiter.consume(r, 'c', T0 + 5_000)).allowed);
    assert.ok((await limiter.consume(r, 'c', T0 + 5_000)).allowed);
    assert.ok(!(await limiter.consume(r, 'c', T0 + 5_000)).allowed);
  });

  it('keeps the actions counted between a consume and its refund', async () => {
    const limiter = await make();
    const r = rule({ burst: 5 });
    assert.ok((await limiter.consume(r, 'ip', T0)).allowed, 'the agent pays');
    const strangers = await Promise.all(Array.from({ length: 3 }, () => limiter.consume(r, 'ip', T0)));
    assert.ok(strangers.every((v) => v.allowed));
    await limiter.refund(r, 'ip', T0);
    // 3 strangers' failures remain: 2 more, then refused.
    assert.ok((await limiter.consume(r, 'ip', T0)).allowed);
    assert.ok((await limiter.consume(r, 'ip', T0)).allowed);
    assert.ok(!(await limiter.consume(r, 'ip', T0)).allowed);
  });

  it('lets exactly the burst through when many ask at once', async () => {
    const limiter = await make();
    const r = rule({ burst: 5 });
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => limiter.consume(r, 'a', T0)));
    assert.equal(verdicts.filter((v) => v.allowed).length, 5);
  });

  it('takes any string as a subject: long, empty, hostile', async () => {
    const limiter = await make();
    const r = rule({ burst: 1 });
    for (const subject of ['', 'x'.repeat(100_000), 'a:b\r\n{tag}*?', '#deadbeef', 'élève@ac-paris.fr']) {
      assert.ok((await limiter.consume(r, subject, T0)).allowed, subject.slice(0, 20));
      assert.ok(!(await limiter.consume(r, subject, T0)).allowed, subject.slice(0, 20));
    }
  });

  it('agrees with the reference gcra() over a random sequence of times', async () => {
    const limiter = await make();
    const r = rule({ burst: 4, intervalMs: 7_000 });
    let tat: number | undefined;
    let now = T0;
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 200; i += 1) {
      now += Math.floor(random() * 6_000);
      const expected = gcra(r, tat !== undefined && tat > now ? tat : undefined, now);
      if (expected.verdict.allowed) tat = expected.tat;
      assert.deepEqual(await limiter.consume(r, 's', now), expected.verdict, `step ${i}`);
    }
  });
}
