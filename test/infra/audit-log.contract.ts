import assert from 'node:assert/strict';
import {
  AUDIT_RETENTION_MS,
  type AuditEntry,
  type AuditLog,
  type AuditRecord,
  OTHER_ADDRESSES,
} from '../../src/domain/audit/ports';

const T0 = Date.parse('2014-11-20T09:00:00Z');
const DAY = 24 * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const entry = (atMs: number, target: string, login = 'agent.paris'): AuditEntry => ({
  at: iso(atMs),
  login,
  action: 'transcript.read',
  target,
});
const label = (record: AuditRecord) =>
  record.action === 'login.failed'
    ? `${record.at} ${record.address} ${record.failed}/${record.blocked}`
    : record.target;

/** Every page from the newest, following `next`; the cursors seen, to check they only go back. */
async function everything(log: AuditLog, limit: number): Promise<{ records: AuditRecord[]; pages: number }> {
  const records: AuditRecord[] = [];
  let before: number | undefined;
  let pages = 0;
  for (;;) {
    const page = await log.page({ limit, ...(before === undefined ? {} : { before }) });
    pages += 1;
    records.push(...page.records);
    if (page.next === undefined) return { records, pages };
    assert.ok(before === undefined || page.next < before, 'the cursor goes back in time');
    before = page.next;
  }
}

/**
 * What every AuditLog must do, run against the memory and the Redis implementations. `make` gives a
 * fresh, empty log with the default retention; `cap` overrides the distinct addresses counted per hour.
 */
export function auditLogContract(make: (options?: { addressesPerHour?: number }) => Promise<AuditLog>): void {
  it('keeps the scope an agent acted within, and no scope for an agent of every académie', async () => {
    const log = await make();
    await log.record({ ...entry(T0, 'email:a@ac-paris.fr'), scope: ['ac-creteil.fr', 'ac-paris.fr'] });
    await log.record({ ...entry(T0 + 1, 'email:b@ac-lyon.fr', 'national'), action: 'scope.refused' });
    const { records } = await log.page({ limit: 10 });
    assert.deepEqual(records, [
      { at: iso(T0 + 1), login: 'national', action: 'scope.refused', target: 'email:b@ac-lyon.fr' },
      {
        at: iso(T0),
        login: 'agent.paris',
        action: 'transcript.read',
        target: 'email:a@ac-paris.fr',
        scope: ['ac-creteil.fr', 'ac-paris.fr'],
      },
    ]);
  });

  it('keeps entries by time, not by count: 12 000 reads do not push out the first one', async () => {
    const log = await make();
    await log.record(entry(T0, 'the-first-read'));
    for (let batch = 0; batch < 24; batch += 1)
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          log.record(entry(T0 + 1 + batch * 500 + i, `read-${batch}-${i}`)),
        ),
      );
    const { records } = await everything(log, 1000);
    assert.equal(records.length, 12_001);
    assert.equal(records.at(-1) && label(records.at(-1) as AuditRecord), 'the-first-read');
  });

  it('keeps an entry a year and more, and lets it go only after the retention (400 days)', async () => {
    const log = await make();
    assert.ok(AUDIT_RETENTION_MS >= 366 * DAY);
    await log.record(entry(T0, 'old'));
    await log.record(entry(T0 + 366 * DAY, 'a year later'));
    assert.deepEqual((await log.page({ limit: 10 })).records.map(label), ['a year later', 'old']);
    await log.countFailedLogin('192.0.2.1', 'failed', T0 + 10 * 60_000);
    await log.record(entry(T0 + AUDIT_RETENTION_MS + 3_600_000, 'after the retention'));
    assert.deepEqual(
      (await log.page({ limit: 10 })).records.map(label),
      ['after the retention', 'a year later'],
      'the old entry and the old hour of failed logins went by age',
    );
  });

  it('pages newest first with a cursor; reading twice gives the same and removes nothing', async () => {
    const log = await make();
    for (let i = 0; i < 25; i += 1) await log.record(entry(T0 + i * 1_000, `e${i}`));
    const first = await log.page({ limit: 10 });
    assert.deepEqual(
      first.records.map(label),
      Array.from({ length: 10 }, (_, i) => `e${24 - i}`),
    );
    assert.equal(first.next, T0 + 15_000);
    const second = await log.page({ limit: 10, before: first.next });
    assert.deepEqual(second.records.map(label)[0], 'e14');
    const third = await log.page({ limit: 10, before: second.next });
    assert.deepEqual(third.records.map(label), ['e4', 'e3', 'e2', 'e1', 'e0']);
    assert.equal(third.next, undefined);
    const again = await everything(log, 7);
    assert.equal(again.records.length, 25);
    assert.equal(new Set(again.records.map(label)).size, 25);
    assert.deepEqual((await log.page({ limit: 10 })).records, first.records, 'nothing was consumed');
  });

  it('never splits one instant between two pages, and keeps identical entries apart', async () => {
    const log = await make();
    await log.record(entry(T0, 'before'));
    for (let i = 0; i < 3; i += 1) await log.record(entry(T0 + 1_000, 'same'));
    await log.record(entry(T0 + 2_000, 'after'));
    const page = await log.page({ limit: 2 });
    assert.deepEqual(page.records.map(label), ['after', 'same', 'same', 'same']);
    assert.deepEqual((await log.page({ limit: 2, before: page.next })).records.map(label), ['before']);
  });

  it('counts failed logins per client address and hour, at the hour’s start', async () => {
    const log = await make();
    await log.record(entry(T0 + 5 * 60_000, 'read at 9:05'));
    for (let i = 0; i < 3; i += 1) await log.countFailedLogin('198.51.100.7', 'failed', T0 + 10 * 60_000 + i);
    await log.countFailedLogin('198.51.100.7', 'blocked', T0 + 20 * 60_000);
    await log.countFailedLogin('198.51.100.7', 'blocked', T0 + 59 * 60_000);
    await log.countFailedLogin('2001:db8:1:2::/64', 'failed', T0 + 30 * 60_000);
    await log.countFailedLogin('198.51.100.7', 'failed', T0 + 61 * 60_000);
    await log.record(entry(T0 + 62 * 60_000, 'read at 10:02'));
    const { records } = await log.page({ limit: 10 });
    assert.deepEqual(records[0], entry(T0 + 62 * 60_000, 'read at 10:02'));
    assert.deepEqual(records[1], {
      action: 'login.failed',
      at: '2014-11-20T10:00:00.000Z',
      address: '198.51.100.7',
      failed: 1,
      blocked: 0,
    });
    assert.deepEqual(records[2], entry(T0 + 5 * 60_000, 'read at 9:05'));
    assert.deepEqual(records.slice(3).map(label).sort(), [
      '2014-11-20T09:00:00.000Z 198.51.100.7 3/2',
      '2014-11-20T09:00:00.000Z 2001:db8:1:2::/64 1/0',
    ]);
    assert.deepEqual(await log.recent(10), [
      entry(T0 + 62 * 60_000, 'read at 10:02'),
      entry(T0 + 5 * 60_000, 'read at 9:05'),
    ]);
  });

  it('bounds what a stranger with many addresses adds: past the cap, one « other addresses » counter', async () => {
    const log = await make({ addressesPerHour: 5 });
    for (let i = 1; i <= 40; i += 1) await log.countFailedLogin(`203.0.113.${i}`, 'failed', T0 + i * 1_000);
    await log.countFailedLogin('203.0.113.2', 'blocked', T0 + 50_000);
    await log.countFailedLogin('203.0.113.30', 'blocked', T0 + 51_000);
    const { records, next } = await log.page({ limit: 100 });
    assert.equal(next, undefined);
    assert.deepEqual(records.map(label).sort(), [
      '2014-11-20T09:00:00.000Z * 35/1',
      '2014-11-20T09:00:00.000Z 203.0.113.1 1/0',
      '2014-11-20T09:00:00.000Z 203.0.113.2 1/1',
      '2014-11-20T09:00:00.000Z 203.0.113.3 1/0',
      '2014-11-20T09:00:00.000Z 203.0.113.4 1/0',
      '2014-11-20T09:00:00.000Z 203.0.113.5 1/0',
    ]);
    assert.ok(records.some((r) => r.action === 'login.failed' && r.address === OTHER_ADDRESSES));
    // The next hour starts afresh.
    await log.countFailedLogin('203.0.113.40', 'failed', T0 + 3_600_000);
    assert.equal(
      label((await log.page({ limit: 1 })).records[0] as AuditRecord),
      '2014-11-20T10:00:00.000Z 203.0.113.40 1/0',
    );
  });
}
