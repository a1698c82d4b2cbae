import assert from 'node:assert/strict';
import { burstSpanMs, gcra, type RateRule, retryAfterSeconds } from '../../../src/domain/limits/rate-limiter';
import { RULES } from '../../../src/domain/limits/rules';
import { formatWaitFr } from '../../../src/domain/limits/wait';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const rules: readonly RateRule[] = Object.values(RULES);

/** Replays `times` (ms) against the reference algorithm; returns the verdicts. */
function replay(rule: RateRule, times: readonly number[]) {
  let tat: number | undefined;
  return times.map((now) => {
    const step = gcra(rule, tat, now);
    tat = step.tat;
    return step.verdict;
  });
}

describe('rate limit rules', () => {
  it('have distinct, short ASCII names (they are Redis key parts) and whole-millisecond intervals', () => {
    const names = rules.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    for (const rule of rules) {
      assert.match(rule.name, /^[a-z-]{3,20}$/);
      assert.ok(Number.isInteger(rule.intervalMs) && rule.intervalMs > 0, rule.name);
      assert.ok(Number.isInteger(rule.burst) && rule.burst >= 3, `${rule.name}: room for honest retries`);
    }
  });

  it('never stop an honest teacher: three tries in ten minutes, then one more an hour later', () => {
    for (const rule of [
      RULES.accountPerRequester,
      RULES.accountPerConversation,
      RULES.resendPerAddress,
      RULES.mailsPerAddress,
    ]) {
      const verdicts = replay(rule, [0, 2 * MINUTE, 10 * MINUTE, 70 * MINUTE]);
      assert.ok(
        verdicts.every((v) => v.allowed),
        rule.name,
      );
    }
  });

  it('stop a loop of one channel user at the 6th request within the hour, for about 12 minutes', () => {
    const verdicts = replay(
      RULES.accountPerRequester,
      [0, 1, 2, 3, 4, 5].map((i) => i * 1_000),
    );
    assert.deepEqual(
      verdicts.map((v) => v.allowed),
      [true, true, true, true, true, false],
    );
    const refused = verdicts[5];
    assert.ok(
      refused &&
        !refused.allowed &&
        refused.retryAfterMs > 11 * MINUTE &&
        refused.retryAfterMs <= 12 * MINUTE,
    );
  });

  it('sustain at most the stated hourly rates', () => {
    // A script asking every second for an hour gets the burst, then one per interval.
    const times = Array.from({ length: 3_600 }, (_, i) => i * 1_000);
    const expectations: Array<[RateRule, number]> = [
      [RULES.accountPerRequester, 5 + 5],
      [RULES.mailsPerAddress, 5 + 1],
      [RULES.confirmationSubmitsPerIp, 30 + 180],
      [RULES.accountPerConversation, 10 + 10],
      [RULES.resendPerAddress, 3 + 3],
      [RULES.helpdeskFailuresPerLoginIp, 5 + 20],
      [RULES.helpdeskFailuresPerIp, 10 + 40],
      [RULES.argon2PerConversation, 10 + 60],
    ];
    for (const [rule, most] of expectations) {
      const allowed = replay(rule, times).filter((v) => v.allowed).length;
      assert.ok(allowed <= most, `${rule.name}: ${allowed} > ${most}`);
      assert.ok(allowed >= rule.burst, rule.name);
    }
    assert.ok(burstSpanMs(RULES.accountPerRequester) === HOUR);
  });

  it('send one address at most 10 mails in its first day, whatever the number of requests', () => {
    const everyMinute = Array.from({ length: 24 * 60 }, (_, i) => i * MINUTE);
    const sent = replay(RULES.mailsPerAddress, everyMinute).filter((v) => v.allowed).length;
    // The burst, then one at 4, 8, 12, 16 and 20 h.
    assert.equal(sent, 5 + 5);
  });

  it('fail closed where the guarded action needs Redis, open only for the Direct Line token', () => {
    const open = rules.filter((r) => r.whenStoreDown === 'allow').map((r) => r.name);
    assert.deepEqual(open, [RULES.directLineTokenPerIp.name]);
  });

  it('hash every personal subject (addresses, logins) out of key names', () => {
    assert.ok(RULES.accountPerRequester.hashSubject);
    assert.ok(RULES.mailsPerAddress.hashSubject);
    assert.ok(RULES.resendPerAddress.hashSubject);
    assert.ok(RULES.helpdeskFailuresPerLoginIp.hashSubject);
  });
});

describe('waits in French', () => {
  it('rounds up to the minute, with a no-break space between number and unit', () => {
    assert.equal(formatWaitFr(1), '1\u00a0minute');
    assert.equal(formatWaitFr(11 * MINUTE + 1), '12\u00a0minutes');
    assert.equal(formatWaitFr(40 * MINUTE), '40\u00a0minutes');
    assert.equal(formatWaitFr(HOUR + 5 * MINUTE), '1\u00a0heure et 5\u00a0minutes');
    assert.equal(formatWaitFr(2 * HOUR), '2\u00a0heures');
  });

  it('gives Retry-After in whole seconds, at least one', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(2_001), 3);
    assert.equal(retryAfterSeconds(0), 1);
  });
});
