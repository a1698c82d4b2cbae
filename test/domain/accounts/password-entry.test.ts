import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'mocha';
import { AccountService } from '../../../src/domain/accounts/account-service';
import {
  PASSWORD_ENTRY_PATH,
  PASSWORD_ENTRY_TTL_MS,
  PasswordEntryService,
} from '../../../src/domain/accounts/password-entry';
import { createTokenSealer } from '../../../src/domain/accounts/tokens';
import { isAppError } from '../../../src/errors';
import { createArgon2Hasher } from '../../../src/infra/argon2-hasher';
import { loadCalendar } from '../../../src/infra/files/calendar-file';
import { MemoryAccountStore } from '../../../src/infra/memory-account-store';
import { MemoryPasswordEntryStore } from '../../../src/infra/memory-password-entry-store';
import { passwordEntryStoreContract } from './password-entry-store.contract';

const calendar = loadCalendar(path.resolve(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));
const hasher = createArgon2Hasher({ memoryCost: 256, timeCost: 1, parallelism: 1 });
const STRONG = 'Electeur2014';
const conversation = { channelId: 'webchat', conversation: { id: 'conv-1' } };

class Clock {
  constructor(private at: number) {}
  now = () => new Date(this.at);
  set(at: string | number) {
    this.at = typeof at === 'string' ? Date.parse(at) : at;
  }
}

function setup(now = '2014-11-20T09:00:00+01:00') {
  const clock = new Clock(Date.parse(now));
  const store = new MemoryPasswordEntryStore();
  const entries = new PasswordEntryService({
    store,
    clock,
    hasher,
    calendar,
    baseUrl: () => 'https://bot.example',
  });
  return { clock, store, entries };
}

function tokenOf(url: string): string {
  return url.slice(`https://bot.example${PASSWORD_ENTRY_PATH}/`.length);
}

describe('PasswordEntryService', () => {
  describe('the memory store', () => passwordEntryStoreContract(() => new MemoryPasswordEntryStore()));

  it('opens a one-time link of 256 random bits, valid 30 minutes, and keeps only its hash', async () => {
    const { entries, store, clock } = setup();
    const link = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    assert.match(link.url, /^https:\/\/bot\.example\/mot-de-passe\/[A-Za-z0-9_-]{43}$/);
    assert.equal(link.expiresAt.getTime(), clock.now().getTime() + PASSWORD_ENTRY_TTL_MS);
    assert.ok(
      !JSON.stringify([...(store as unknown as { byToken: Map<string, unknown> }).byToken]).includes(
        tokenOf(link.url),
      ),
    );
    assert.equal(await entries.inspect(tokenOf(link.url)), 'open');
    const other = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    assert.notEqual(tokenOf(other.url), tokenOf(link.url));
  });

  it('never lets a link outlive the account window, and opens none once it has closed', async () => {
    const { entries, clock } = setup('2014-12-04T15:50:00+01:00');
    const link = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    assert.equal(link.expiresAt.getTime(), calendar.accountCreation.closes.getTime());
    clock.set(calendar.accountCreation.closes.getTime());
    await assert.rejects(entries.open({ email: 'jean.dupont@ac-paris.fr', conversation }), (e) =>
      isAppError(e, 'ACCOUNT_WINDOW_CLOSED'),
    );
  });

  it('names every unmet rule and a mismatch, and keeps the link open', async () => {
    const { entries } = setup();
    const token = tokenOf((await entries.open({ email: 'a.b@ac-paris.fr', conversation })).url);
    assert.deepEqual(await entries.submit(token, 'abc', 'abd'), {
      status: 'invalid',
      unmet: ['minLength', 'uppercase', 'digit'],
      mismatch: true,
    });
    assert.deepEqual(await entries.submit(token, STRONG, `${STRONG}x`), {
      status: 'invalid',
      unmet: [],
      mismatch: true,
    });
    assert.equal(await entries.inspect(token), 'open');
  });

  it('saves an argon2id PHC of the password, once; the dialog claims it once', async () => {
    const { entries } = setup();
    const link = await entries.open({ email: 'a.b@ac-paris.fr', conversation });
    const token = tokenOf(link.url);
    // « É » typed as E + combining accent is the same password as the precomposed one (NFC).
    const saved = await entries.submit(token, 'E\u0301lecteur2014', '\u00c9lecteur2014');
    assert.deepEqual(saved, { status: 'saved', id: link.id, conversation });
    assert.equal(await entries.inspect(token), 'used');
    assert.deepEqual(await entries.submit(token, STRONG, STRONG), { status: 'used' });
    const claimed = await entries.claim(link.id);
    assert.ok(claimed && claimed !== 'consumed');
    assert.match(claimed.passwordHash, /^\$argon2id\$/);
    assert.ok(await hasher.verify(claimed.passwordHash, '\u00c9lecteur2014'));
    assert.deepEqual(await entries.claim(link.id), claimed, 'reading does not consume');
    await entries.consume(link.id);
    assert.equal(await entries.claim(link.id), 'consumed');
  });

  it('tells expired, replaced and unknown links apart', async () => {
    const { entries, clock } = setup();
    const first = await entries.open({ email: 'a.b@ac-paris.fr', conversation });
    await entries.revoke(first.id);
    assert.equal(await entries.inspect(tokenOf(first.url)), 'replaced');
    const second = await entries.open({ email: 'a.b@ac-paris.fr', conversation });
    clock.set(second.expiresAt.getTime());
    assert.equal(await entries.inspect(tokenOf(second.url)), 'expired');
    assert.deepEqual(await entries.submit(tokenOf(second.url), STRONG, STRONG), { status: 'expired' });
    assert.equal(await entries.inspect('x'.repeat(43)), 'unknown');
    assert.equal(await entries.inspect('not-a-token'), 'unknown');
  });
});

describe('AccountService.request with a PHC from the password page', () => {
  function service() {
    const repo = new MemoryAccountStore();
    const accounts = new AccountService({
      repo,
      calendar,
      clock: new Clock(Date.parse('2014-11-20T09:00:00+01:00')),
      hasher,
      sealer: createTokenSealer('password-entry-tests-secret-0123456789'),
      domains: ['ac-paris.fr'],
      linkTtlMs: 48 * 3_600_000,
    });
    return { repo, accounts };
  }

  it('stores the PHC as given, without hashing again', async () => {
    const { repo, accounts } = service();
    const passwordHash = await hasher.hash(STRONG);
    const result = await accounts.request({ email: 'jean.dupont@ac-paris.fr', passwordHash });
    assert.equal(result.outcome, 'created');
    assert.equal(await repo.passwordHash('jean.dupont@ac-paris.fr'), passwordHash);
  });

  it('refuses anything that is not an argon2id PHC (a clear password passed by mistake)', async () => {
    const { accounts } = service();
    await assert.rejects(accounts.request({ email: 'jean.dupont@ac-paris.fr', passwordHash: STRONG }), (e) =>
      isAppError(e, 'BAD_REQUEST'),
    );
  });

  it('of concurrent submits on one link, only one runs argon2; a failed hash frees the link', async () => {
    const { entries, store, clock } = setup();
    let hashes = 0;
    let fail = true;
    const counting = new PasswordEntryService({
      store,
      clock,
      calendar,
      baseUrl: () => 'https://bot.example',
      hasher: {
        hash: async (p: string) => {
          hashes++;
          if (fail) throw new Error('argon2 out of memory');
          return hasher.hash(p);
        },
        verify: hasher.verify,
      },
    });
    const link = await entries.open({ email: 'jean.dupont@ac-paris.fr', conversation });
    const token = tokenOf(link.url);
    await assert.rejects(counting.submit(token, STRONG, STRONG), /out of memory/);
    assert.equal(await entries.inspect(token), 'open', 'the link works again');
    fail = false;
    hashes = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => counting.submit(token, STRONG, STRONG)),
    );
    assert.equal(hashes, 1, 'one argon2 run');
    assert.equal(outcomes.filter((o) => o.status === 'saved').length, 1);
    assert.ok(
      outcomes.every((o) => o.status === 'saved' || o.status === 'busy' || o.status === 'used'),
      outcomes.map((o) => o.status).join(','),
    );
  });
});
