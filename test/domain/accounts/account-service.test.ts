import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Clock } from '../../../src/clock';
import { DEFAULT_ACADEMIE_DOMAINS } from '../../../src/config';
import { AccountService } from '../../../src/domain/accounts/account-service';
import { MemoryAccountStore } from '../../../src/domain/accounts/memory-account-store';
import type { AccountRequest, PasswordHasher, QueuedMail } from '../../../src/domain/accounts/ports';
import { createTokenSealer, hashToken } from '../../../src/domain/accounts/tokens';
import { parseCalendar } from '../../../src/domain/calendar/calendar';
import { AppError, isAppError } from '../../../src/errors';

const calendar = parseCalendar({
  name: 'Élections professionnelles 2014',
  timeZone: 'Europe/Paris',
  accountCreation: { opens: '2014-09-22T00:00:00', closes: '2014-12-04T16:00:00' },
  vote: { opens: '2014-11-27T10:00:00', closes: '2014-12-04T17:00:00' },
  results: { from: '2014-12-05T00:00:00' },
});

const HOUR = 3_600_000;
const TTL = 48 * HOUR;
const PASSWORD = 'Élodie2014';
const EMAIL = 'jean.dupont@ac-paris.fr';

/** A clock the test moves by hand. */
function manualClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (next) => {
      now = new Date(next);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** Deterministic and instant; argon2 itself is tested in test/infra. */
const fastHasher: PasswordHasher = {
  hash: async (password) => `fake$${createHash('sha256').update(password).digest('hex')}`,
  verify: async (phc, password) => phc === `fake$${createHash('sha256').update(password).digest('hex')}`,
};

/** The store, recording what the service hands it. */
class RecordingStore extends MemoryAccountStore {
  readonly requests: AccountRequest[] = [];
  override async requestAccount(request: AccountRequest) {
    this.requests.push(request);
    return super.requestAccount(request);
  }
}

function setup(iso = '2014-11-20T09:00:00+01:00') {
  const store = new RecordingStore();
  const clock = manualClock(iso);
  const sealer = createTokenSealer('a test secret that is at least thirty-two characters long');
  const service = new AccountService({
    repo: store,
    calendar,
    clock,
    hasher: fastHasher,
    sealer,
    domains: DEFAULT_ACADEMIE_DOMAINS,
    linkTtlMs: TTL,
  });
  /** What the mail worker would do: claim the confirmation mail and unseal its token. */
  const mailedToken = async (): Promise<string> => {
    const mails: QueuedMail[] = await store.claimDue(clock.now().getTime(), 100, 1);
    const last = mails
      .map((q) => q.mail)
      .filter((m) => m.kind === 'confirmation')
      .at(-1);
    assert.ok(last?.kind === 'confirmation', 'a confirmation mail is queued');
    return sealer.unseal(last.sealedToken);
  };
  return { store, clock, sealer, service, mailedToken };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail('expected a rejection');
}

describe('AccountService', () => {
  describe('request', () => {
    it('creates a pending account for a normalised address and queues the sealed link', async () => {
      const { service, store, clock, mailedToken } = setup();
      const result = await service.request({
        email: '  Jean.Dupont@AC-PARIS.fr ',
        password: PASSWORD,
        conversation: { id: 'conv-1' },
      });
      assert.deepEqual(result, {
        outcome: 'created',
        email: EMAIL,
        linkExpiresAt: new Date(clock.now().getTime() + TTL),
      });

      const snapshot = await service.status('Jean.Dupont@ac-paris.fr');
      assert.equal(snapshot?.status, 'pending');
      assert.equal(await store.passwordHash(EMAIL), await fastHasher.hash(PASSWORD));

      const token = await mailedToken();
      assert.equal(store.requests[0]?.tokenHash, hashToken(token));
      assert.deepEqual(await service.confirm(token), {
        status: 'confirmed',
        email: EMAIL,
        conversation: { id: 'conv-1' },
      });
      assert.equal((await service.status(EMAIL))?.status, 'confirmed');
    });

    it('never hands the token or the password to the store in clear', async () => {
      const { service, store, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      const stored = JSON.stringify(store.requests);
      assert.ok(!stored.includes(token));
      assert.ok(!stored.includes(PASSWORD));
    });

    it('caps the link expiry at the close of the account window', async () => {
      const { service, store } = setup('2014-12-03T09:00:00+01:00');
      const { linkExpiresAt } = await service.request({ email: EMAIL, password: PASSWORD });
      assert.equal(linkExpiresAt.toISOString(), '2014-12-04T15:00:00.000Z');
      assert.equal(store.requests[0]?.tokenExpiresAt, calendar.accountCreation.closes.getTime());
    });

    it('keeps the configured lifetime when the window closes later', async () => {
      const { service } = setup('2014-12-02T15:59:00+01:00');
      const { linkExpiresAt } = await service.request({ email: EMAIL, password: PASSWORD });
      assert.equal(linkExpiresAt.toISOString(), '2014-12-04T14:59:00.000Z');
    });

    it('refuses an invalid address with its reason and suggestion', async () => {
      const { service, store } = setup();
      const error = await rejection(service.request({ email: 'jean.dupont@ac-pari.fr', password: PASSWORD }));
      assert.equal(error.code, 'INVALID_ADDRESS');
      assert.deepEqual(error.data, { reason: 'nearMissDomain', suggestion: EMAIL });
      assert.ok(!error.message.includes('ac-pari'));

      const personal = await rejection(
        service.request({ email: 'jean.dupont@gmail.com', password: PASSWORD }),
      );
      assert.deepEqual(personal.data, { reason: 'personalDomain' });
      assert.equal(store.requests.length, 0);
    });

    it('refuses a weak password with every unmet rule, and never repeats the password', async () => {
      const { service, store } = setup();
      const weak = 'motdepasse';
      const error = await rejection(service.request({ email: EMAIL, password: weak }));
      assert.equal(error.code, 'WEAK_PASSWORD');
      assert.deepEqual(error.data, { unmet: ['uppercase', 'digit'] });
      assert.ok(
        !JSON.stringify({ message: error.message, data: error.data, stack: error.stack }).includes(weak),
      );
      assert.equal(store.requests.length, 0);
    });

    it('checks the address before the password', async () => {
      const { service } = setup();
      const error = await rejection(service.request({ email: 'jdupont@ac-paris.fr', password: 'x' }));
      assert.equal(error.code, 'INVALID_ADDRESS');
    });

    it('refuses before the window opens and from 16:00 on 4 December', async () => {
      const { service, clock, store } = setup('2014-09-21T23:59:59+02:00');
      const before = await rejection(service.request({ email: EMAIL, password: PASSWORD }));
      assert.equal(before.code, 'ACCOUNT_WINDOW_CLOSED');
      assert.deepEqual(before.data, { status: 'before' });

      clock.set('2014-09-22T00:00:00+02:00');
      assert.equal((await service.request({ email: EMAIL, password: PASSWORD })).outcome, 'created');

      clock.set('2014-12-04T15:59:59.999+01:00');
      assert.equal((await service.request({ email: EMAIL, password: PASSWORD })).outcome, 'replaced');

      clock.set('2014-12-04T16:00:00+01:00');
      const after = await rejection(service.request({ email: EMAIL, password: PASSWORD }));
      assert.deepEqual(after.data, { status: 'after' });
      assert.equal(store.requests.length, 2);
    });

    it('hashes nothing when the request is refused', async () => {
      const { store, clock, sealer } = setup('2014-12-05T09:00:00+01:00');
      let hashed = 0;
      const countingHasher: PasswordHasher = {
        ...fastHasher,
        hash: async (p) => {
          hashed++;
          return fastHasher.hash(p);
        },
      };
      const service = new AccountService({
        repo: store,
        calendar,
        clock,
        hasher: countingHasher,
        sealer,
        domains: DEFAULT_ACADEMIE_DOMAINS,
        linkTtlMs: TTL,
      });
      await rejection(service.request({ email: EMAIL, password: PASSWORD }));
      assert.equal(hashed, 0);
    });

    it('replaces a pending request: the old link answers « replaced »', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const first = await mailedToken();
      assert.equal((await service.request({ email: EMAIL, password: 'Autre2014x' })).outcome, 'replaced');
      const second = await mailedToken();
      assert.deepEqual(await service.confirm(first), { status: 'replaced' });
      assert.equal((await service.confirm(second)).status, 'confirmed');
    });

    it('reports an already confirmed address without changing its password', async () => {
      const { service, store, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      await service.confirm(await mailedToken());
      const result = await service.request({ email: EMAIL, password: 'Autre2014x' });
      assert.equal(result.outcome, 'already-confirmed');
      assert.equal(await store.passwordHash(EMAIL), await fastHasher.hash(PASSWORD));
    });

    it('leaves one confirmable link after 20 concurrent requests for one address', async () => {
      const { service, store, sealer } = setup();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => service.request({ email: EMAIL, password: PASSWORD })),
      );
      assert.equal(results.filter((r) => r.outcome === 'created').length, 1);
      assert.equal(results.filter((r) => r.outcome === 'replaced').length, 19);
      assert.deepEqual(await store.counts(), { queued: 1, dead: 0 });

      const tokens = store.requests.map((r) => sealer.unseal(r.sealedToken));
      assert.equal(new Set(tokens).size, 20);
      const outcomes = await Promise.all(tokens.map((t) => service.confirm(t)));
      assert.equal(outcomes.filter((o) => o.status === 'confirmed').length, 1);
      assert.equal(outcomes.filter((o) => o.status === 'replaced').length, 19);
    });
  });

  describe('confirm', () => {
    it('works once, then says the link was used', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      assert.equal((await service.confirm(token)).status, 'confirmed');
      assert.deepEqual(await service.confirm(token), { status: 'used' });
    });

    it('expires the link by the application clock', async () => {
      const { service, clock, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      clock.advance(TTL);
      assert.deepEqual(await service.confirm(token), { status: 'expired' });
    });

    it('turns away malformed tokens without asking the store', async () => {
      const { store, clock, sealer } = setup();
      let asked = 0;
      const repo = Object.assign(Object.create(store), {
        confirm: async (...args: Parameters<typeof store.confirm>) => {
          asked++;
          return store.confirm(...args);
        },
      });
      const service = new AccountService({
        repo,
        calendar,
        clock,
        hasher: fastHasher,
        sealer,
        domains: DEFAULT_ACADEMIE_DOMAINS,
        linkTtlMs: TTL,
      });
      for (const bad of [
        '',
        'abc',
        'x'.repeat(44),
        `${'a'.repeat(42)}=`,
        `${'a'.repeat(42)}/`,
        'a'.repeat(10_000),
      ]) {
        assert.deepEqual(await service.confirm(bad), { status: 'unknown' });
      }
      assert.equal(asked, 0);
      assert.deepEqual(await service.confirm('a'.repeat(43)), { status: 'unknown' });
      assert.equal(asked, 1);
    });
  });

  describe('resend', () => {
    it('sends a new link to a pending account (capped at the window close); the old one is replaced', async () => {
      const { service, clock, mailedToken } = setup('2014-12-03T20:00:00+01:00');
      await service.request({ email: EMAIL, password: PASSWORD });
      const first = await mailedToken();
      clock.advance(HOUR);
      const resent = await service.resend(' Jean.Dupont@AC-PARIS.FR ');
      assert.equal(resent.outcome, 'resent');
      assert.equal(resent.linkExpiresAt?.toISOString(), calendar.accountCreation.closes.toISOString());
      const second = await mailedToken();
      assert.notEqual(second, first);
      assert.equal((await service.confirm(first)).status, 'replaced');
      assert.equal((await service.confirm(second)).status, 'confirmed');
      assert.equal((await service.resend(EMAIL)).outcome, 'confirmed');
      assert.equal((await service.resend('marie.curie@ac-paris.fr')).outcome, 'none');
    });

    it('refuses outside the account window', async () => {
      const { service } = setup('2014-12-04T16:00:00+01:00');
      assert.equal((await rejection(service.resend(EMAIL))).code, 'ACCOUNT_WINDOW_CLOSED');
    });
  });

  describe('status and window', () => {
    it('returns null for an unknown address', async () => {
      assert.equal(await setup().service.status('personne.inconnue@ac-paris.fr'), null);
    });

    it('follows the account window by the clock', () => {
      const { service, clock } = setup('2014-09-21T21:59:59Z');
      assert.equal(service.windowStatus(), 'before');
      clock.set('2014-11-20T09:00:00+01:00');
      assert.equal(service.windowStatus(), 'open');
      clock.set('2014-12-04T15:00:00Z');
      assert.equal(service.windowStatus(), 'after');
    });
  });

  it('refuses a link lifetime that is not positive', () => {
    const { store, clock, sealer } = setup();
    const deps = {
      repo: store,
      calendar,
      clock,
      hasher: fastHasher,
      sealer,
      domains: DEFAULT_ACADEMIE_DOMAINS,
    };
    assert.throws(() => new AccountService({ ...deps, linkTtlMs: 0 }), RangeError);
    assert.throws(() => new AccountService({ ...deps, linkTtlMs: Number.NaN }), RangeError);
  });

  it('raises AppErrors the HTTP layer can map', async () => {
    const error = await rejection(setup().service.request({ email: '', password: '' }));
    assert.ok(isAppError(error, 'INVALID_ADDRESS'));
    assert.equal(error.status, 400);
    assert.deepEqual(error.data, { reason: 'empty' });
  });
});
