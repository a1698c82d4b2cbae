import assert from 'node:assert/strict';
import { DEFAULT_ACADEMIE_DOMAINS } from '../../../src/config';
import { AccountService } from '../../../src/domain/accounts/account-service';
import type { PasswordHasher } from '../../../src/domain/accounts/ports';
import { createTokenSealer } from '../../../src/domain/accounts/tokens';
import { parseCalendar } from '../../../src/domain/calendar/calendar';
import type { RateLimiter } from '../../../src/domain/limits/rate-limiter';
import { RULES } from '../../../src/domain/limits/rules';
import { AppError, isAppError } from '../../../src/errors';
import { MemoryAccountStore } from '../../../src/infra/memory-account-store';
import { MemoryRateLimiter } from '../../../src/infra/memory-rate-limiter';

const calendar = parseCalendar({
  name: 'Élections professionnelles 2014',
  timeZone: 'Europe/Paris',
  accountCreation: { opens: '2014-09-22T00:00:00', closes: '2014-12-04T16:00:00' },
  vote: { opens: '2014-11-27T10:00:00', closes: '2014-12-04T17:00:00' },
  results: { from: '2014-12-05T00:00:00' },
});
const MINUTE = 60_000;
const PASSWORD = 'Élodie2014';
const EMAIL = 'jean.dupont@ac-paris.fr';
const conversation = (id: string) => ({ channelId: 'webchat', conversation: { id } });

function setup(limiter: RateLimiter = new MemoryRateLimiter()) {
  let now = new Date('2014-11-20T09:00:00+01:00').getTime();
  const store = new MemoryAccountStore();
  let hashes = 0;
  const hasher: PasswordHasher = {
    hash: async () => {
      hashes += 1;
      return 'fake$hash';
    },
    verify: async () => false,
  };
  const service = new AccountService({
    repo: store,
    calendar,
    clock: { now: () => new Date(now) },
    hasher,
    sealer: createTokenSealer('a test secret that is at least thirty-two characters long'),
    domains: DEFAULT_ACADEMIE_DOMAINS,
    linkTtlMs: 48 * 60 * MINUTE,
    limiter,
  });
  return {
    service,
    store,
    hashes: () => hashes,
    advance: (ms: number) => {
      now += ms;
    },
  };
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

describe('AccountService rate limits', () => {
  it('refuses the 6th request of one channel user, across conversations and addresses, before hashing', async () => {
    const { service, hashes } = setup();
    const requester = 'webchat:dl_stranger';
    for (let i = 0; i < 5; i += 1)
      await service.request({
        email: `jean.prof${'abcde'[i]}@ac-paris.fr`,
        password: PASSWORD,
        conversation: conversation(`c${i}`),
        requester,
      });
    assert.equal(hashes(), 5);
    const error = await rejection(
      service.request({
        email: ' Jean.Dupont@AC-PARIS.fr ',
        password: PASSWORD,
        conversation: conversation('c9'),
        requester,
      }),
    );
    assert.equal(error.code, 'RATE_LIMITED');
    assert.equal(error.status, 429);
    assert.equal(error.data?.rule, RULES.accountPerRequester.name);
    assert.equal(error.data?.retryAfterMs, 12 * MINUTE);
    assert.equal(hashes(), 5, 'no argon2 for a refused request');
    assert.ok(!error.message.includes(EMAIL), 'the address stays out of the error message');
    // Another user is not concerned.
    await service.request({ email: EMAIL, password: PASSWORD, requester: 'webchat:dl_teacher' });
  });

  it('lets the user in again once the wait is over', async () => {
    const { service, advance } = setup();
    const input = {
      email: EMAIL,
      password: PASSWORD,
      requester: 'msteams:29:1abc',
      conversation: conversation('c'),
    };
    for (let i = 0; i < 5; i += 1) await service.request(input);
    advance(11 * MINUTE);
    assert.ok(isAppError(await rejection(service.request(input)), 'RATE_LIMITED'));
    advance(MINUTE);
    assert.equal((await service.request(input)).outcome, 'replaced');
  });

  it('counts nothing per address: strangers typing the teacher’s address never get the teacher refused', async () => {
    const { service, store } = setup();
    for (let i = 0; i < 12; i += 1) {
      await service.request({
        email: EMAIL,
        password: PASSWORD,
        conversation: conversation(`stranger-${i}`),
        requester: `webchat:dl_stranger${i}`,
      });
      // The worker sends each mail (its own budget per address holds the rest in the outbox).
      for (const mail of await store.claimDue(Number.MAX_SAFE_INTEGER, 10, 1)) await store.markSent(mail.id);
    }
    const teacher = await service.request({
      email: EMAIL,
      password: PASSWORD,
      conversation: conversation('teacher'),
      requester: 'webchat:dl_teacher',
    });
    assert.equal(teacher.outcome, 'added');
    assert.equal((await store.find(EMAIL))?.pendingRequests, 5, 'the pending requests stay bounded');
  });

  it('spends no budget on refused input: a bad address, a weak password', async () => {
    const { service } = setup();
    for (let i = 0; i < 10; i += 1) {
      await rejection(
        service.request({ email: 'jean.dupont@gmail.com', password: PASSWORD, requester: 'u' }),
      );
      await rejection(service.request({ email: EMAIL, password: 'court', requester: 'u' }));
    }
    for (let i = 0; i < 5; i += 1)
      await service.request({ email: EMAIL, password: PASSWORD, requester: 'u' });
  });

  it('limits one conversation to 10 requests, whatever the addresses; another conversation is free', async () => {
    const { service } = setup();
    for (let i = 0; i < 10; i += 1)
      await service.request({
        email: `jean.prof${'abcdefghij'[i]}@ac-paris.fr`,
        password: PASSWORD,
        conversation: conversation('c'),
      });
    const error = await rejection(
      service.request({
        email: 'jean.profk@ac-paris.fr',
        password: PASSWORD,
        conversation: conversation('c'),
      }),
    );
    assert.equal(error.data?.rule, RULES.accountPerConversation.name);
    await service.request({
      email: 'jean.profk@ac-paris.fr',
      password: PASSWORD,
      conversation: conversation('d'),
    });
  });

  it('limits resends per address (3), apart from the requests', async () => {
    const { service } = setup();
    await service.request({ email: EMAIL, password: PASSWORD });
    for (let i = 0; i < 3; i += 1) assert.equal((await service.resend(EMAIL)).outcome, 'resent');
    const error = await rejection(service.resend(EMAIL));
    assert.equal(error.code, 'RATE_LIMITED');
    assert.equal(error.data?.rule, RULES.resendPerAddress.name);
    assert.equal(error.data?.retryAfterMs, 20 * MINUTE);
    assert.equal((await service.request({ email: EMAIL, password: PASSWORD })).outcome, 'added');
  });

  it('fails with STORE_UNAVAILABLE, before hashing, when the limiter cannot answer', async () => {
    const down: RateLimiter = {
      consume: async () => {
        throw new AppError('STORE_UNAVAILABLE', 'rate limit: connection closed');
      },
      peek: async () => ({ allowed: true }),
      refund: async () => undefined,
    };
    const { service, hashes, store } = setup(down);
    assert.ok(
      isAppError(
        await rejection(service.request({ email: EMAIL, password: PASSWORD, requester: 'webchat:dl_x' })),
        'STORE_UNAVAILABLE',
      ),
    );
    assert.equal(hashes(), 0);
    assert.equal(await store.find(EMAIL), null);
  });
});
