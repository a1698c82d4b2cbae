import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config';

const DEV = { NODE_ENV: 'development' } as const;

describe('configuration: REMINDER_UNCONFIRMED_AFTER', () => {
  it('defaults to 24 hours (absent or empty)', () => {
    assert.equal(loadConfig(DEV).reminderUnconfirmedAfterMs, 24 * 3_600_000);
    assert.equal(
      loadConfig({ ...DEV, REMINDER_UNCONFIRMED_AFTER: '' }).reminderUnconfirmedAfterMs,
      24 * 3_600_000,
    );
  });

  it('reads an ISO 8601 duration', () => {
    assert.equal(
      loadConfig({ ...DEV, REMINDER_UNCONFIRMED_AFTER: 'P1DT12H' }).reminderUnconfirmedAfterMs,
      36 * 3_600_000,
    );
    assert.equal(
      loadConfig({ ...DEV, REMINDER_UNCONFIRMED_AFTER: 'PT90M' }).reminderUnconfirmedAfterMs,
      90 * 60_000,
    );
  });

  for (const bad of ['24h', '24', 'P1M', 'PT0S', 'PT30S', 'P31D', 'PT'])
    it(`stops start-up on « ${bad} », naming the setting`, () => {
      let error: unknown;
      try {
        loadConfig({ ...DEV, REMINDER_UNCONFIRMED_AFTER: bad });
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ConfigError, `ConfigError expected for ${bad}`);
      const lines = error.issues.filter((line) => line.startsWith('REMINDER_UNCONFIRMED_AFTER '));
      assert.equal(lines.length, 1, error.message);
      assert.match(lines[0] ?? '', /durée ISO 8601.*PT24H/);
    });
});
