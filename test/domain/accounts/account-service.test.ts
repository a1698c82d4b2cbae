import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Clock } from '../../../src/clock';
import { DEFAULT_ACADEMIE_DOMAINS } from '../../../src/config';
import { AccountService } from '../../../src/domain/accounts/account-service';
import type {
  AccountRequest,
  ConfirmRequest,
  PasswordHasher,
  QueuedMail,
} from '../../../src/domain/accounts/ports';
import { MAX_CONFIRM_ATTEMPTS } from '../../../src/domain/accounts/requests';
import { createTokenSealer, hashToken } from '../../../src/domain/accounts/tokens';
import { parseCalendar } from '../../../src/domain/calendar/calendar';
import { AppError, isAppError } from '../../../src/errors';
import { MemoryAccountStore } from '../../../src/infra/memory-account-store';

const CALENDAR_JSON = {
  name: 'Élections professionnelles 2014',
  timeZone: 'Europe/Paris',
  accountCreation: { opens: '2014-09-22T00:00:00', closes: '2014-12-04T16:00:00' },
  vote: { opens: '2014-11-27T10:00:00', closes: '2014-12-04T17:00:00' },
  results: { from: '2014-12-05T00:00:00' },
};
const calendar = parseCalendar(CALENDAR_JSON);

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
  readonly confirms: ConfirmRequest[] = [];
  override async requestAccount(request: AccountRequest) {
    this.requests.push(request);
    return super.requestAccount(request);
  }
  override async confirm(request: ConfirmRequest) {
    this.confirms.push(request);
    return super.confirm(request);
  }
}

/** A Web Chat conversation reference, as dialogs/conversation-ref.ts builds it. */
function conversation(id: string) {
  return {
    activityId: 'act-1',
    user: { id: `dl_${id}`, name: 'Jeanne Martin' },
    bot: { id: 'assistant-electeur', name: 'Assistant électeur' },
    conversation: { id },
    channelId: 'webchat',
    locale: 'fr-FR',
    serviceUrl: 'https://directline.example.test/',
  };
}
const CONV = conversation('conv-1');

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
        conversation: CONV,
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
      // Back with the ids the proactive message needs (compactReference), to the conversation that asked.
      assert.deepEqual(await service.confirm(token, PASSWORD), {
        status: 'confirmed',
        email: EMAIL,
        conversation: {
          user: { id: 'dl_conv-1' },
          bot: { id: 'assistant-electeur' },
          conversation: { id: 'conv-1' },
          channelId: 'webchat',
          serviceUrl: 'https://directline.example.test/',
          locale: 'fr-FR',
        },
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

    it('checks the password against the election file’s policy (12 characters and a special one)', async () => {
      const { store, clock, sealer } = setup();
      const service = new AccountService({
        repo: store,
        calendar: parseCalendar({
          ...CALENDAR_JSON,
          passwordPolicy: {
            minLength: 12,
            maxLength: 128,
            lowercase: true,
            uppercase: true,
            digit: true,
            special: true,
          },
        }),
        clock,
        hasher: fastHasher,
        sealer,
        domains: DEFAULT_ACADEMIE_DOMAINS,
        linkTtlMs: TTL,
      });
      // Good under the 2014 leaflet, not under this file.
      const error = await rejection(service.request({ email: EMAIL, password: PASSWORD }));
      assert.equal(error.code, 'WEAK_PASSWORD');
      assert.deepEqual(error.data, { unmet: ['minLength', 'special'] });
      assert.equal(store.requests.length, 0);
      assert.equal((await service.request({ email: EMAIL, password: 'Élodie-2014!' })).outcome, 'created');
      const [queued] = await store.claimDue(clock.now().getTime(), 100, 1);
      assert.ok(queued?.mail.kind === 'confirmation');
      const token = sealer.unseal(queued.mail.sealedToken);
      assert.equal((await service.confirm(token, 'Élodie-2014!')).status, 'confirmed');
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
      assert.equal((await service.request({ email: EMAIL, password: PASSWORD })).outcome, 'added');

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

    it('replaces the pending request of the same conversation: the old link answers « replaced »', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD, conversation: CONV });
      const first = await mailedToken();
      const again = { email: EMAIL, password: 'Autre2014x', conversation: CONV };
      assert.equal((await service.request(again)).outcome, 'replaced');
      const second = await mailedToken();
      assert.deepEqual(await service.confirm(first, PASSWORD), { status: 'replaced' });
      assert.deepEqual(await service.confirm(second, PASSWORD), {
        status: 'wrong-password',
        attemptsLeft: 4,
      });
      assert.equal((await service.confirm(second, 'Autre2014x')).status, 'confirmed');
    });

    it('hands the store a compact reference (ids and locale), the conversation tag and the channel', async () => {
      const { service, store } = setup();
      await service.request({ email: EMAIL, password: PASSWORD, conversation: CONV });
      const [request] = store.requests;
      assert.deepEqual(request?.conversation, {
        user: { id: 'dl_conv-1' },
        bot: { id: 'assistant-electeur' },
        conversation: { id: 'conv-1' },
        channelId: 'webchat',
        serviceUrl: 'https://directline.example.test/',
        locale: 'fr-FR',
      });
      assert.equal(request?.channel, 'webchat');
      assert.match(request?.conversationTag ?? '', /^[A-Za-z0-9_-]{16}$/);
      assert.ok(!JSON.stringify(request).includes('Jeanne'));
      await service.request({ email: 'marie.curie@ac-paris.fr', password: PASSWORD, conversation: CONV });
      assert.equal(store.requests[1]?.conversationTag, request?.conversationTag, 'one tag per conversation');
    });

    it('keeps a Teams conversation’s tenant in the compact reference, and nothing of its names or type', async () => {
      const { service, store } = setup();
      const teams = {
        ...CONV,
        channelId: 'msteams',
        conversation: { id: 'a:1teams', tenantId: 'tenant-1', conversationType: 'personal', name: 'x' },
      };
      await service.request({ email: EMAIL, password: PASSWORD, conversation: teams });
      assert.deepEqual(store.requests[0]?.conversation, {
        user: { id: 'dl_conv-1' },
        bot: { id: 'assistant-electeur' },
        conversation: { id: 'a:1teams', tenantId: 'tenant-1' },
        channelId: 'msteams',
        serviceUrl: 'https://directline.example.test/',
        locale: 'fr-FR',
      });
    });

    it('refuses a request (TOO_MANY_PENDING) when the address’s pending requests are full', async () => {
      const { service } = setup();
      for (let i = 0; i < 5; i += 1)
        await service.request({ email: EMAIL, password: PASSWORD, conversation: conversation(`c${i}`) });
      const error = await rejection(
        service.request({ email: EMAIL, password: PASSWORD, conversation: conversation('c9') }),
      );
      assert.equal(error.code, 'TOO_MANY_PENDING');
      assert.equal(error.status, 429);
    });

    it('reports an already confirmed address without changing its password', async () => {
      const { service, store, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      await service.confirm(await mailedToken(), PASSWORD);
      const result = await service.request({ email: EMAIL, password: 'Autre2014x' });
      assert.equal(result.outcome, 'already-confirmed');
      assert.equal(await store.passwordHash(EMAIL), await fastHasher.hash(PASSWORD));
    });

    it('leaves one confirmable link after 20 concurrent requests from one conversation', async () => {
      const { service, store, sealer } = setup();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          service.request({ email: EMAIL, password: PASSWORD, conversation: CONV }),
        ),
      );
      assert.equal(results.filter((r) => r.outcome === 'created').length, 1);
      assert.equal(results.filter((r) => r.outcome === 'replaced').length, 19);
      assert.deepEqual(await store.counts(), { queued: 1, dead: 0 });

      const tokens = store.requests.map((r) => sealer.unseal(r.sealedToken));
      assert.equal(new Set(tokens).size, 20);
      const outcomes = await Promise.all(tokens.map((t) => service.confirm(t, PASSWORD)));
      assert.equal(outcomes.filter((o) => o.status === 'confirmed').length, 1);
      assert.equal(outcomes.filter((o) => o.status === 'replaced').length, 19);
    });
  });

  describe('inspect', () => {
    it('shows the open link’s request and changes nothing, however often it is opened', async () => {
      const { service, store, clock, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD, conversation: CONV });
      const token = await mailedToken();
      const before = await store.find(EMAIL);
      for (let i = 0; i < 10; i += 1) await service.inspect(token);
      assert.deepEqual(await service.inspect(token), {
        status: 'open',
        requestedAt: clock.now().getTime(),
        channel: 'webchat',
        expiresAt: clock.now().getTime() + TTL,
        attemptsLeft: MAX_CONFIRM_ATTEMPTS,
        recentRequests: 1,
      });
      assert.deepEqual(await store.find(EMAIL), before);
      assert.equal((await service.confirm(token, PASSWORD)).status, 'confirmed');
    });
  });

  describe('confirm', () => {
    it('works once, with the password chosen for the request, then says the link was used', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      assert.equal((await service.confirm(token, PASSWORD)).status, 'confirmed');
      assert.deepEqual(await service.confirm(token, PASSWORD), { status: 'used' });
    });

    it('compares the password as typed in any Unicode form (NFC), as it was hashed', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      assert.equal(
        (await service.confirm(await mailedToken(), PASSWORD.normalize('NFD'))).status,
        'confirmed',
      );
    });

    it(`counts wrong passwords: ${MAX_CONFIRM_ATTEMPTS} per link, then the link is spent`, async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      for (let left = MAX_CONFIRM_ATTEMPTS - 1; left >= 0; left -= 1)
        assert.deepEqual(await service.confirm(token, 'Mauvais2014'), {
          status: 'wrong-password',
          attemptsLeft: left,
        });
      assert.deepEqual(await service.confirm(token, PASSWORD), { status: 'spent' });
      assert.deepEqual(await service.inspect(token), { status: 'spent' });
      assert.equal((await service.status(EMAIL))?.status, 'pending');
    });

    it('gives parallel submits no more attempts than sequential ones', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () => service.confirm(token, 'Mauvais2014')),
      );
      assert.equal(outcomes.filter((o) => o.status === 'wrong-password').length, MAX_CONFIRM_ATTEMPTS);
      assert.equal(outcomes.filter((o) => o.status === 'spent').length, 12 - MAX_CONFIRM_ATTEMPTS);
    });

    it('runs no argon2 on an empty password or one longer than any accepted, but counts the attempt', async () => {
      const { store, clock, sealer, mailedToken } = setup();
      let verified = 0;
      const service = new AccountService({
        repo: store,
        calendar,
        clock,
        hasher: {
          ...fastHasher,
          verify: async (phc, p) => {
            verified += 1;
            return fastHasher.verify(phc, p);
          },
        },
        sealer,
        domains: DEFAULT_ACADEMIE_DOMAINS,
        linkTtlMs: TTL,
      });
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      assert.deepEqual(await service.confirm(token, 'A1a'.repeat(50)), {
        status: 'wrong-password',
        attemptsLeft: 4,
      });
      assert.deepEqual(await service.confirm(token, ''), { status: 'wrong-password', attemptsLeft: 3 });
      assert.equal(verified, 0);
      assert.equal((await service.confirm(token, PASSWORD)).status, 'confirmed');
      assert.equal(verified, 1);
    });

    it('a stranger’s request beside the teacher’s: each link confirms only with its own password', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD, conversation: conversation('teacher') });
      const teacherLink = await mailedToken();
      const stranger = { email: EMAIL, password: 'Intrus2014', conversation: conversation('stranger') };
      assert.equal((await service.request(stranger)).outcome, 'added');
      const strangerLink = await mailedToken();

      // The teacher clicks the stranger's link: the teacher's own password does not confirm it.
      assert.deepEqual(await service.confirm(strangerLink, PASSWORD), {
        status: 'wrong-password',
        attemptsLeft: 4,
      });
      // The teacher's link still works, with the teacher's password, and notifies the teacher's chat.
      const confirmed = await service.confirm(teacherLink, PASSWORD);
      assert.equal(
        confirmed.status === 'confirmed' &&
          (confirmed.conversation?.conversation as { id?: string } | undefined)?.id,
        'teacher',
      );
      // The stranger's link is dead, even with the stranger's password.
      assert.deepEqual(await service.confirm(strangerLink, 'Intrus2014'), { status: 'superseded' });
    });

    it('keeps a confirmed account until the vote’s close plus 90 days, or the configured time', async () => {
      const { service, store, mailedToken, clock, sealer } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      await service.confirm(await mailedToken(), PASSWORD);
      assert.equal(store.confirms[0]?.accountExpiresAt, calendar.vote.closes.getTime() + 90 * 24 * HOUR);

      const until = new Date('2015-06-30T00:00:00Z');
      const configured = new AccountService({
        repo: store,
        calendar,
        clock,
        hasher: fastHasher,
        sealer,
        domains: DEFAULT_ACADEMIE_DOMAINS,
        linkTtlMs: TTL,
        confirmedAccountsExpireAt: until,
      });
      await configured.request({ email: 'marie.curie@ac-paris.fr', password: PASSWORD });
      await configured.confirm(await mailedToken(), PASSWORD);
      assert.equal(store.confirms[1]?.accountExpiresAt, until.getTime());
    });

    it('expires the link by the application clock', async () => {
      const { service, clock, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      clock.advance(TTL);
      assert.deepEqual(await service.confirm(token, PASSWORD), { status: 'expired' });
    });

    it('turns away malformed tokens without asking the store', async () => {
      const { store, clock, sealer } = setup();
      let asked = 0;
      const repo = Object.assign(Object.create(store), {
        takeAttempt: async (...args: Parameters<typeof store.takeAttempt>) => {
          asked++;
          return store.takeAttempt(...args);
        },
        inspectLink: async (...args: Parameters<typeof store.inspectLink>) => {
          asked++;
          return store.inspectLink(...args);
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
        assert.deepEqual(await service.confirm(bad, PASSWORD), { status: 'unknown' });
        assert.deepEqual(await service.inspect(bad), { status: 'unknown' });
      }
      assert.equal(asked, 0);
      assert.deepEqual(await service.confirm('a'.repeat(43), PASSWORD), { status: 'unknown' });
      assert.equal(asked, 1);
    });
  });

  describe('cancel', () => {
    it('cancels the pending requests of a normalised address', async () => {
      const { service, mailedToken } = setup();
      await service.request({ email: EMAIL, password: PASSWORD });
      const token = await mailedToken();
      assert.deepEqual(await service.cancel(' Jean.Dupont@AC-PARIS.fr '), { outcome: 'cancelled', count: 1 });
      assert.deepEqual(await service.confirm(token, PASSWORD), { status: 'cancelled' });
      assert.deepEqual(await service.cancel(EMAIL), { outcome: 'none' });
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
      assert.equal((await service.confirm(first, PASSWORD)).status, 'replaced');
      assert.equal((await service.confirm(second, PASSWORD)).status, 'confirmed');
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
