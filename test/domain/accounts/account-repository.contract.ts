import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type {
  AccountRepository,
  AccountRequest,
  Outbox,
  OutboxMail,
  QueuedMail,
} from '../../../src/domain/accounts/ports';
import { MAX_CONFIRM_ATTEMPTS, MAX_PENDING_REQUESTS } from '../../../src/domain/accounts/requests';

export interface ContractSubject {
  repo: AccountRepository;
  outbox: Outbox;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2014, 10, 20, 8, 0, 0);
const HOUR = 3_600_000;
const TTL = 48 * HOUR;
const LEASE = 60_000;
const DAY = 24 * HOUR;
/** Far after every test's clock: a confirmed account outlives them all. */
const KEEP_UNTIL = Date.UTC(2015, 2, 4);

/** A fresh address per test, so that an implementation backed by a shared server needs no flush. */
function address(): string {
  return `jean.dupont${randomBytes(4).readUInt32BE(0)}@ac-paris.fr`;
}

/** Stands in for a token: only its hash and a sealed form ever reach the store. */
function fakeToken(): { token: string; tokenHash: string; sealedToken: string } {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    tokenHash: createHash('sha256').update(token).digest('hex'),
    sealedToken: `sealed:${randomBytes(8).toString('hex')}`,
  };
}

/** A conversation tag, as conversationTag() makes them (base64url). */
function tag(): string {
  return randomBytes(12).toString('base64url');
}

/** A request from a conversation of its own unless `conversationTag` is given. */
function requestFor(email: string, now = T0, overrides: Partial<AccountRequest> = {}) {
  const token = fakeToken();
  const request: AccountRequest = {
    email,
    passwordHash: `$argon2id$fake$${randomBytes(6).toString('hex')}`,
    tokenHash: token.tokenHash,
    sealedToken: token.sealedToken,
    tokenExpiresAt: now + TTL,
    now,
    conversationTag: tag(),
    channel: 'webchat',
    ...overrides,
  };
  return request;
}

/**
 * What the service does once the password was verified: take an attempt (its hash must be the request's),
 * then confirm.
 */
async function confirmWith(repo: AccountRepository, request: AccountRequest, now: number) {
  const grant = await repo.takeAttempt(request.tokenHash, now);
  if (grant.status !== 'open') return grant;
  assert.equal(grant.passwordHash, request.passwordHash, 'the attempt verifies against its own request');
  return repo.confirm({ tokenHash: request.tokenHash, now, accountExpiresAt: KEEP_UNTIL });
}

async function sendAll(outbox: Outbox, now: number): Promise<void> {
  const mails = await drain(outbox, now);
  await Promise.all(mails.map((m) => outbox.markSent(m.id)));
}

/** Everything due, claimed with a lease short enough that the next test step sees the same queue. */
async function drain(outbox: Outbox, now: number): Promise<QueuedMail[]> {
  return outbox.claimDue(now, 1000, 1);
}

function confirmationsTo(mails: QueuedMail[], email: string): OutboxMail[] {
  return mails.map((q) => q.mail).filter((m) => m.kind === 'confirmation' && m.to === email);
}

/**
 * The semantics every AccountRepository + Outbox must share (memory and Redis). Only the ports are used,
 * and time only moves through the `now` arguments.
 */
export function accountStoreContract(name: string, factory: () => Promise<ContractSubject>): void {
  describe(`${name}: account repository and outbox contract`, () => {
    let repo: AccountRepository;
    let outbox: Outbox;
    let subject: ContractSubject;

    beforeEach(async () => {
      subject = await factory();
      repo = subject.repo;
      outbox = subject.outbox;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    describe('requestAccount', () => {
      it('creates a pending request and queues one confirmation mail carrying the sealed token', async () => {
        const email = address();
        const request = requestFor(email, T0, { conversation: { id: 'conv-1' } });
        assert.equal(await repo.requestAccount(request), 'created');

        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'pending');
        assert.equal(snapshot?.email, email);
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.updatedAt, T0);
        assert.equal(snapshot?.tokenExpiresAt, request.tokenExpiresAt);
        assert.equal(snapshot?.pendingRequests, 1);
        assert.equal(snapshot?.confirmedAt, undefined);
        assert.equal(await repo.passwordHash(email), request.passwordHash);

        const mails = await drain(outbox, T0);
        assert.deepEqual(confirmationsTo(mails, email), [
          {
            kind: 'confirmation',
            to: email,
            sealedToken: request.sealedToken,
            expiresAt: request.tokenExpiresAt,
          },
        ]);
        assert.equal(mails[0]?.attempts, 0);
      });

      it('knows nothing of an address never requested', async () => {
        assert.equal(await repo.find(address()), null);
        assert.equal(await repo.passwordHash(address()), null);
      });

      it('replaces the request of the same conversation: its link answers « replaced », its mail is withdrawn', async () => {
        const email = address();
        const conversationTag = tag();
        const first = requestFor(email, T0, { conversationTag });
        const second = requestFor(email, T0 + HOUR, { conversationTag });
        assert.equal(await repo.requestAccount(first), 'created');
        assert.equal(await repo.requestAccount(second), 'replaced');

        assert.equal(await repo.passwordHash(email), second.passwordHash);
        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'pending');
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.updatedAt, T0 + HOUR);
        assert.equal(snapshot?.pendingRequests, 1);
        assert.equal(snapshot?.tokenExpiresAt, second.tokenExpiresAt);

        const mails = await drain(outbox, T0 + HOUR);
        assert.deepEqual(
          confirmationsTo(mails, email).map((m) => m.kind === 'confirmation' && m.sealedToken),
          [second.sealedToken],
        );
        assert.deepEqual(await outbox.counts(), { queued: 1, dead: 0 });

        assert.deepEqual(await repo.inspectLink(first.tokenHash, T0 + HOUR), { status: 'replaced' });
        assert.deepEqual(await confirmWith(repo, first, T0 + HOUR), { status: 'replaced' });
        assert.equal((await confirmWith(repo, second, T0 + HOUR)).status, 'confirmed');
      });

      it('keeps the request of another conversation beside the first: each link carries its own password', async () => {
        const email = address();
        const teacher = requestFor(email, T0, { conversation: { id: 'teacher' } });
        const stranger = requestFor(email, T0 + HOUR, { conversation: { id: 'stranger' } });
        assert.equal(await repo.requestAccount(teacher), 'created');
        assert.equal(await repo.requestAccount(stranger), 'added');

        const snapshot = await repo.find(email);
        assert.equal(snapshot?.pendingRequests, 2);
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.tokenExpiresAt, stranger.tokenExpiresAt);
        assert.equal((await repo.inspectLink(teacher.tokenHash, T0 + HOUR)).status, 'open');
        assert.equal((await repo.inspectLink(stranger.tokenHash, T0 + HOUR)).status, 'open');
        const mails = confirmationsTo(await drain(outbox, T0 + HOUR), email);
        assert.deepEqual(
          mails.map((m) => m.kind === 'confirmation' && m.sealedToken),
          [teacher.sealedToken, stranger.sealedToken],
          'both mails leave',
        );
        const grant = await repo.takeAttempt(teacher.tokenHash, T0 + HOUR);
        assert.equal(grant.status === 'open' && grant.passwordHash, teacher.passwordHash);
      });

      it('lets the first request confirmed win: the other links answer « superseded », their unsent mails are withdrawn', async () => {
        const email = address();
        const teacher = requestFor(email, T0, { conversation: { id: 'teacher' } });
        const stranger = requestFor(email, T0 + 1, { conversation: { id: 'stranger' } });
        const third = requestFor(email, T0 + 2);
        await repo.requestAccount(teacher);
        await sendAll(outbox, T0);
        await repo.requestAccount(stranger);
        await repo.requestAccount(third);

        assert.deepEqual(await confirmWith(repo, teacher, T0 + HOUR), {
          status: 'confirmed',
          email,
          conversation: { id: 'teacher' },
        });
        for (const other of [stranger, third]) {
          assert.deepEqual(await repo.inspectLink(other.tokenHash, T0 + HOUR), { status: 'superseded' });
          assert.deepEqual(await repo.takeAttempt(other.tokenHash, T0 + HOUR), { status: 'superseded' });
          assert.deepEqual(
            await repo.confirm({ tokenHash: other.tokenHash, now: T0 + HOUR, accountExpiresAt: KEEP_UNTIL }),
            { status: 'superseded' },
          );
        }
        assert.deepEqual(confirmationsTo(await drain(outbox, T0 + HOUR), email), [], 'no mail left for them');
        assert.equal(await repo.passwordHash(email), teacher.passwordHash, 'the confirmed password');
        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'confirmed');
        assert.equal(snapshot?.pendingRequests, undefined);
        assert.deepEqual(await repo.inspectLink(teacher.tokenHash, T0 + HOUR), { status: 'used' });
      });

      it('forgets expired requests: a new one is added, the old link still says « expired »', async () => {
        const email = address();
        const first = requestFor(email, T0);
        await repo.requestAccount(first);
        const later = T0 + TTL + HOUR;
        const second = requestFor(email, later);
        assert.equal(await repo.requestAccount(second), 'added');
        assert.equal((await repo.find(email))?.pendingRequests, 1);
        assert.deepEqual(await repo.inspectLink(first.tokenHash, later), { status: 'expired' });
        assert.deepEqual(
          confirmationsTo(await drain(outbox, later), email).map(
            (m) => m.kind === 'confirmation' && m.sealedToken,
          ),
          [second.sealedToken],
          'the expired link’s unsent mail is withdrawn',
        );
        assert.equal((await confirmWith(repo, second, later)).status, 'confirmed');
      });

      it(`keeps at most ${MAX_PENDING_REQUESTS} pending requests: the oldest whose mail has left is dropped`, async () => {
        const email = address();
        const requests = Array.from({ length: MAX_PENDING_REQUESTS }, (_, i) => requestFor(email, T0 + i));
        for (const request of requests) await repo.requestAccount(request);
        await sendAll(outbox, T0 + HOUR);
        const newer = requestFor(email, T0 + HOUR);
        assert.equal(await repo.requestAccount(newer), 'added');
        assert.equal((await repo.find(email))?.pendingRequests, MAX_PENDING_REQUESTS);
        assert.deepEqual(await repo.inspectLink(requests[0]?.tokenHash ?? '', T0 + HOUR), {
          status: 'replaced',
        });
        for (const kept of [...requests.slice(1), newer])
          assert.equal((await repo.inspectLink(kept.tokenHash, T0 + HOUR)).status, 'open');
      });

      it('refuses a request (« full ») rather than drop one whose mail has not left yet', async () => {
        const email = address();
        const requests = Array.from({ length: MAX_PENDING_REQUESTS }, (_, i) => requestFor(email, T0 + i));
        for (const request of requests) await repo.requestAccount(request);
        const before = await repo.find(email);
        const refused = requestFor(email, T0 + HOUR);
        assert.equal(await repo.requestAccount(refused), 'full');

        assert.deepEqual(await repo.find(email), before, 'nothing written');
        assert.deepEqual(await repo.inspectLink(refused.tokenHash, T0 + HOUR), { status: 'unknown' });
        assert.equal(confirmationsTo(await drain(outbox, T0 + HOUR), email).length, MAX_PENDING_REQUESTS);
        for (const kept of requests)
          assert.equal((await repo.inspectLink(kept.tokenHash, T0 + HOUR)).status, 'open');
        // The same conversation still replaces its own request when full.
        const again = requestFor(email, T0 + HOUR, { conversationTag: requests[2]?.conversationTag ?? '' });
        assert.equal(await repo.requestAccount(again), 'replaced');
      });

      it('changes nothing for a confirmed address but queues one « already confirmed » mail at a time', async () => {
        const email = address();
        const first = requestFor(email, T0);
        await repo.requestAccount(first);
        await confirmWith(repo, first, T0 + 1);
        await sendAll(outbox, T0 + 1);
        const before = await repo.find(email);

        const again = requestFor(email, T0 + HOUR);
        assert.equal(await repo.requestAccount(again), 'already-confirmed');
        assert.equal(await repo.requestAccount(requestFor(email, T0 + HOUR)), 'already-confirmed');

        assert.deepEqual(await repo.find(email), before);
        assert.equal(await repo.passwordHash(email), first.passwordHash);
        assert.deepEqual(await repo.inspectLink(again.tokenHash, T0 + HOUR), { status: 'unknown' });
        const mails = await drain(outbox, T0 + HOUR);
        assert.deepEqual(
          mails.map((m) => m.mail),
          [{ kind: 'already-confirmed', to: email }],
          'the second request found the first notice still waiting',
        );
        await Promise.all(mails.map((m) => outbox.markSent(m.id)));
        assert.equal(await repo.requestAccount(requestFor(email, T0 + DAY)), 'already-confirmed');
        assert.equal((await drain(outbox, T0 + DAY)).length, 1, 'once sent, another one may leave');
      });

      it('keeps addresses apart', async () => {
        const a = requestFor(address());
        const b = requestFor(address());
        assert.equal(await repo.requestAccount(a), 'created');
        assert.equal(await repo.requestAccount(b), 'created');
        assert.equal((await confirmWith(repo, a, T0)).status, 'confirmed');
        assert.equal((await repo.find(b.email))?.status, 'pending');
        assert.equal((await confirmWith(repo, b, T0)).status, 'confirmed');
      });

      it('leaves one pending request and one valid link after 20 concurrent requests from one conversation', async () => {
        const email = address();
        const conversationTag = tag();
        const requests = Array.from({ length: 20 }, () => requestFor(email, T0, { conversationTag }));
        const outcomes = await Promise.all(requests.map((r) => repo.requestAccount(r)));
        assert.equal(outcomes.filter((o) => o === 'created').length, 1);
        assert.equal(outcomes.filter((o) => o === 'replaced').length, 19);

        const mails = confirmationsTo(await drain(outbox, T0), email);
        assert.equal(mails.length, 1);
        const winner = requests.find(
          (r) => mails[0]?.kind === 'confirmation' && r.sealedToken === mails[0].sealedToken,
        );
        assert.ok(winner, 'the queued mail carries one of the requested tokens');
        assert.equal(await repo.passwordHash(email), winner.passwordHash);

        const confirmations = await Promise.all(requests.map((r) => confirmWith(repo, r, T0 + 1)));
        assert.equal(confirmations.filter((c) => c.status === 'confirmed').length, 1);
        assert.equal(confirmations.filter((c) => c.status === 'replaced').length, 19);
        assert.equal(confirmations[requests.indexOf(winner)]?.status, 'confirmed');
      });

      it(`admits exactly ${MAX_PENDING_REQUESTS} of 20 concurrent requests from 20 conversations while no mail has left`, async () => {
        const email = address();
        const requests = Array.from({ length: 20 }, () => requestFor(email, T0));
        const outcomes = await Promise.all(requests.map((r) => repo.requestAccount(r)));
        assert.equal(outcomes.filter((o) => o === 'created').length, 1);
        assert.equal(outcomes.filter((o) => o === 'added').length, MAX_PENDING_REQUESTS - 1);
        assert.equal(outcomes.filter((o) => o === 'full').length, 20 - MAX_PENDING_REQUESTS);
        assert.equal((await repo.find(email))?.pendingRequests, MAX_PENDING_REQUESTS);
        assert.equal(confirmationsTo(await drain(outbox, T0), email).length, MAX_PENDING_REQUESTS);

        const confirmations = await Promise.all(requests.map((r) => confirmWith(repo, r, T0 + 1)));
        assert.equal(confirmations.filter((c) => c.status === 'confirmed').length, 1, 'one wins');
        assert.equal(confirmations.filter((c) => c.status === 'superseded').length, MAX_PENDING_REQUESTS - 1);
        assert.equal(confirmations.filter((c) => c.status === 'unknown').length, 20 - MAX_PENDING_REQUESTS);
      });
    });

    describe('inspectLink', () => {
      it('shows an open link’s request: when, from which channel, attempts left, recent requests', async () => {
        const email = address();
        await repo.requestAccount(requestFor(email, T0 - 3 * DAY, { tokenExpiresAt: T0 + TTL }));
        await repo.requestAccount(requestFor(email, T0 - HOUR));
        const request = requestFor(email, T0, { channel: 'msteams' });
        await repo.requestAccount(request);
        assert.deepEqual(await repo.inspectLink(request.tokenHash, T0 + HOUR), {
          status: 'open',
          requestedAt: T0,
          channel: 'msteams',
          expiresAt: request.tokenExpiresAt,
          attemptsLeft: MAX_CONFIRM_ATTEMPTS,
          recentRequests: 2,
        });
      });

      it('changes nothing, however often the link is opened (a mail scanner)', async () => {
        const email = address();
        const request = requestFor(email, T0);
        await repo.requestAccount(request);
        const before = await repo.find(email);
        for (let i = 0; i < 12; i++) await repo.inspectLink(request.tokenHash, T0 + i);
        assert.deepEqual(await repo.find(email), before);
        const view = await repo.inspectLink(request.tokenHash, T0 + HOUR);
        assert.equal(view.status === 'open' && view.attemptsLeft, MAX_CONFIRM_ATTEMPTS);
      });

      it('says « expired » from the expiry instant, « unknown » for a token never stored', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        assert.equal((await repo.inspectLink(request.tokenHash, request.tokenExpiresAt - 1)).status, 'open');
        assert.deepEqual(await repo.inspectLink(request.tokenHash, request.tokenExpiresAt), {
          status: 'expired',
        });
        assert.deepEqual(await repo.inspectLink(fakeToken().tokenHash, T0), { status: 'unknown' });
      });
    });

    describe('takeAttempt', () => {
      it(`grants ${MAX_CONFIRM_ATTEMPTS} attempts per link, then the link is « spent »`, async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        for (let left = MAX_CONFIRM_ATTEMPTS - 1; left >= 0; left--) {
          assert.deepEqual(await repo.takeAttempt(request.tokenHash, T0), {
            status: 'open',
            passwordHash: request.passwordHash,
            attemptsLeft: left,
          });
        }
        assert.deepEqual(await repo.takeAttempt(request.tokenHash, T0), { status: 'spent' });
        assert.deepEqual(await repo.inspectLink(request.tokenHash, T0), { status: 'spent' });
        // The attempt that verified may have been the last one: it still confirms.
        assert.equal(
          (await repo.confirm({ tokenHash: request.tokenHash, now: T0, accountExpiresAt: KEEP_UNTIL }))
            .status,
          'confirmed',
        );
      });

      it('counts attempts atomically: 12 parallel submits get exactly the allowed attempts', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        const grants = await Promise.all(
          Array.from({ length: 12 }, () => repo.takeAttempt(request.tokenHash, T0)),
        );
        assert.equal(grants.filter((g) => g.status === 'open').length, MAX_CONFIRM_ATTEMPTS);
        assert.equal(grants.filter((g) => g.status === 'spent').length, 12 - MAX_CONFIRM_ATTEMPTS);
        assert.deepEqual(
          grants.flatMap((g) => (g.status === 'open' ? [g.attemptsLeft] : [])).sort((a, b) => a - b),
          Array.from({ length: MAX_CONFIRM_ATTEMPTS }, (_, i) => i),
        );
      });

      it('counts per link: a spent link leaves the other requests of the address alone', async () => {
        const email = address();
        const spent = requestFor(email, T0);
        const other = requestFor(email, T0);
        await repo.requestAccount(spent);
        await repo.requestAccount(other);
        for (let i = 0; i <= MAX_CONFIRM_ATTEMPTS; i++) await repo.takeAttempt(spent.tokenHash, T0);
        const view = await repo.inspectLink(other.tokenHash, T0);
        assert.equal(view.status === 'open' && view.attemptsLeft, MAX_CONFIRM_ATTEMPTS);
        assert.equal((await confirmWith(repo, other, T0)).status, 'confirmed');
      });
    });

    describe('confirm', () => {
      it('confirms once, returns the conversation, then says the link was used', async () => {
        const email = address();
        const request = requestFor(email, T0, {
          conversation: { id: 'conv-42', serviceUrl: 'https://example.test' },
        });
        await repo.requestAccount(request);

        const outcome = await confirmWith(repo, request, T0 + HOUR);
        assert.deepEqual(outcome, {
          status: 'confirmed',
          email,
          conversation: { id: 'conv-42', serviceUrl: 'https://example.test' },
        });
        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'confirmed');
        assert.equal(snapshot?.confirmedAt, T0 + HOUR);
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.tokenExpiresAt, undefined);

        assert.deepEqual(await confirmWith(repo, request, T0 + HOUR + 1), { status: 'used' });
      });

      it('confirms without a conversation when none was given', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        assert.deepEqual(await confirmWith(repo, request, T0), { status: 'confirmed', email: request.email });
      });

      it('confirms at most once under concurrency, one link or two', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, () =>
            repo.confirm({ tokenHash: request.tokenHash, now: T0, accountExpiresAt: KEEP_UNTIL }),
          ),
        );
        assert.equal(outcomes.filter((o) => o.status === 'confirmed').length, 1);
        assert.equal(outcomes.filter((o) => o.status === 'used').length, 9);

        const email = address();
        const a = requestFor(email);
        const b = requestFor(email);
        await repo.requestAccount(a);
        await repo.requestAccount(b);
        const both = await Promise.all(
          [a, b, a, b].map((r) =>
            repo.confirm({ tokenHash: r.tokenHash, now: T0, accountExpiresAt: KEEP_UNTIL }),
          ),
        );
        assert.equal(both.filter((o) => o.status === 'confirmed').length, 1);
      });

      it('works until just before tokenExpiresAt and is expired from that instant on', async () => {
        const early = requestFor(address());
        const late = requestFor(address());
        await repo.requestAccount(early);
        await repo.requestAccount(late);
        assert.equal((await confirmWith(repo, early, early.tokenExpiresAt - 1)).status, 'confirmed');
        assert.deepEqual(await confirmWith(repo, late, late.tokenExpiresAt), { status: 'expired' });
        assert.deepEqual(await confirmWith(repo, late, late.tokenExpiresAt + HOUR), { status: 'expired' });
        assert.equal((await repo.find(late.email))?.status, 'pending');
      });

      it('does not know a token it never stored', async () => {
        const unknown = fakeToken().tokenHash;
        assert.deepEqual(await repo.takeAttempt(unknown, T0), { status: 'unknown' });
        assert.deepEqual(await repo.confirm({ tokenHash: unknown, now: T0, accountExpiresAt: KEEP_UNTIL }), {
          status: 'unknown',
        });
      });
    });

    describe('resendConfirmation', () => {
      it('gives the newest pending request a new link with its password; the others stay as they are', async () => {
        const email = address();
        const older = requestFor(email, T0, { channel: 'msteams' });
        const newest = requestFor(email, T0 + 1, { conversation: { id: 'newest' } });
        await repo.requestAccount(older);
        await repo.requestAccount(newest);
        await sendAll(outbox, T0 + 1);
        const fresh = fakeToken();
        const later = T0 + HOUR;
        const outcome = await repo.resendConfirmation({
          email,
          tokenHash: fresh.tokenHash,
          sealedToken: fresh.sealedToken,
          tokenExpiresAt: later + TTL,
          now: later,
        });
        assert.equal(outcome, 'resent');
        assert.equal((await repo.find(email))?.tokenExpiresAt, later + TTL);
        assert.equal((await repo.find(email))?.pendingRequests, 2);

        const mails = await drain(outbox, later);
        assert.deepEqual(
          confirmationsTo(mails, email).map((m) => (m.kind === 'confirmation' ? m.sealedToken : '')),
          [fresh.sealedToken],
          'only the new link is sent',
        );
        assert.deepEqual(await repo.inspectLink(newest.tokenHash, later), { status: 'replaced' });
        const view = await repo.inspectLink(fresh.tokenHash, later);
        assert.equal(view.status === 'open' && view.requestedAt, T0 + 1, 'the request keeps its time');
        const grant = await repo.takeAttempt(fresh.tokenHash, later);
        assert.equal(grant.status === 'open' && grant.passwordHash, newest.passwordHash, 'same password');
        assert.deepEqual(
          await repo.confirm({ tokenHash: fresh.tokenHash, now: later, accountExpiresAt: KEEP_UNTIL }),
          {
            status: 'confirmed',
            email,
            conversation: { id: 'newest' },
          },
        );
        assert.deepEqual(await repo.inspectLink(older.tokenHash, later), { status: 'superseded' });
      });

      it('with a conversation’s tag, gives that conversation’s request a new link, not the newest', async () => {
        const email = address();
        const mine = requestFor(email, T0);
        const other = requestFor(email, T0 + 1);
        await repo.requestAccount(mine);
        await repo.requestAccount(other);
        await sendAll(outbox, T0 + 1);
        const fresh = fakeToken();
        const outcome = await repo.resendConfirmation({
          email,
          tag: mine.conversationTag ?? '',
          tokenHash: fresh.tokenHash,
          sealedToken: fresh.sealedToken,
          tokenExpiresAt: T0 + HOUR + TTL,
          now: T0 + HOUR,
        });
        assert.equal(outcome, 'resent');
        assert.deepEqual(await repo.inspectLink(mine.tokenHash, T0 + HOUR), { status: 'replaced' });
        assert.equal((await repo.inspectLink(other.tokenHash, T0 + HOUR)).status, 'open', 'not theirs');
        const grant = await repo.takeAttempt(fresh.tokenHash, T0 + HOUR);
        assert.equal(grant.status === 'open' && grant.passwordHash, mine.passwordHash, 'same password');
        const stranger = fakeToken();
        const none = await repo.resendConfirmation({
          email,
          tag: tag(),
          tokenHash: stranger.tokenHash,
          sealedToken: stranger.sealedToken,
          tokenExpiresAt: T0 + HOUR + TTL,
          now: T0 + HOUR,
        });
        assert.equal(none, 'none', 'a conversation without a request there gets nothing');
      });

      it('resends nothing for a confirmed or unknown address', async () => {
        const email = address();
        const request = requestFor(email, T0);
        await repo.requestAccount(request);
        await confirmWith(repo, request, T0);
        for (const target of [email, address()]) {
          const token = fakeToken();
          const outcome = await repo.resendConfirmation({
            email: target,
            tokenHash: token.tokenHash,
            sealedToken: token.sealedToken,
            tokenExpiresAt: T0 + TTL,
            now: T0 + HOUR,
          });
          assert.equal(outcome, target === email ? 'confirmed' : 'none');
          assert.deepEqual(await repo.inspectLink(token.tokenHash, T0 + HOUR), { status: 'unknown' });
        }
        const resent = confirmationsTo(await drain(outbox, T0 + HOUR), email).filter(
          (m) => m.kind === 'confirmation' && m.sealedToken !== request.sealedToken,
        );
        assert.deepEqual(resent, [], 'no new link for a confirmed account');
      });
    });

    describe('cancelPending', () => {
      it('closes every pending request of the address (« cancelled ») and withdraws their unsent mails', async () => {
        const email = address();
        const requests = [requestFor(email, T0), requestFor(email, T0 + 1)];
        for (const request of requests) await repo.requestAccount(request);
        assert.deepEqual(await repo.cancelPending(email, T0 + HOUR), { outcome: 'cancelled', count: 2 });

        assert.equal(await repo.find(email), null);
        assert.deepEqual(confirmationsTo(await drain(outbox, T0 + HOUR), email), []);
        for (const request of requests) {
          assert.deepEqual(await repo.inspectLink(request.tokenHash, T0 + HOUR), { status: 'cancelled' });
          assert.deepEqual(await confirmWith(repo, request, T0 + HOUR), { status: 'cancelled' });
        }
        assert.deepEqual(await repo.cancelPending(email, T0 + HOUR), { outcome: 'none' });

        const again = requestFor(email, T0 + 2 * HOUR);
        assert.equal(await repo.requestAccount(again), 'created', 'the teacher can start again');
        assert.equal((await confirmWith(repo, again, T0 + 2 * HOUR)).status, 'confirmed');
      });

      it('with a conversation’s tag, cancels only that conversation’s request; the others keep working', async () => {
        const email = address();
        const mine = requestFor(email, T0);
        const other = requestFor(email, T0 + 1);
        await repo.requestAccount(mine);
        await repo.requestAccount(other);
        assert.deepEqual(await repo.cancelPending(email, T0 + 2, tag()), { outcome: 'none' });
        assert.deepEqual(await repo.cancelPending(email, T0 + 2, mine.conversationTag), {
          outcome: 'cancelled',
          count: 1,
        });
        assert.deepEqual(await repo.inspectLink(mine.tokenHash, T0 + 2), { status: 'cancelled' });
        assert.equal((await repo.find(email))?.pendingRequests, 1);
        assert.deepEqual(
          confirmationsTo(await drain(outbox, T0 + 2), email).map((m) =>
            m.kind === 'confirmation' ? m.sealedToken : '',
          ),
          [other.sealedToken],
          'only the cancelled request’s mail is withdrawn',
        );
        assert.equal((await confirmWith(repo, other, T0 + 3)).status, 'confirmed');
      });

      it('cancels nothing of a confirmed account', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        await confirmWith(repo, request, T0);
        assert.deepEqual(await repo.cancelPending(request.email, T0 + 1), { outcome: 'confirmed' });
        assert.equal((await repo.find(request.email))?.status, 'confirmed');
      });
    });

    describe('outbox', () => {
      const mail = (to: string): OutboxMail => ({ kind: 'already-confirmed', to });

      it('gives distinct ids and claims due mails oldest first, up to the limit', async () => {
        const a = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        const b = await outbox.enqueue(mail('b.b@ac-paris.fr'), T0 + 1);
        const c = await outbox.enqueue(mail('c.c@ac-paris.fr'), T0 + 2);
        assert.equal(new Set([a, b, c]).size, 3);
        assert.deepEqual(await outbox.counts(), { queued: 3, dead: 0 });

        const claimed = await outbox.claimDue(T0 + 10, 2, LEASE);
        assert.deepEqual(
          claimed.map((q) => q.id),
          [a, b],
        );
        assert.deepEqual(claimed[0], { id: a, mail: mail('a.a@ac-paris.fr'), attempts: 0 });
      });

      it('does not hand out a mail before its due time', async () => {
        await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        assert.deepEqual(await outbox.claimDue(T0 - 1, 10, LEASE), []);
        assert.equal((await outbox.claimDue(T0, 10, LEASE)).length, 1);
      });

      it('hides a claimed mail until its lease ends', async () => {
        const id = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        assert.equal((await outbox.claimDue(T0, 10, LEASE)).length, 1);
        assert.deepEqual(await outbox.claimDue(T0 + LEASE - 1, 10, LEASE), []);
        assert.deepEqual(await outbox.counts(), { queued: 1, dead: 0 });
        const again = await outbox.claimDue(T0 + LEASE + 1, 10, LEASE);
        assert.deepEqual(
          again.map((q) => q.id),
          [id],
        );
      });

      it('never hands one mail to two concurrent claimers', async () => {
        const ids = await Promise.all(
          Array.from({ length: 5 }, (_, i) => outbox.enqueue(mail(`p${i}.p@ac-paris.fr`), T0)),
        );
        const batches = await Promise.all(Array.from({ length: 8 }, () => outbox.claimDue(T0, 2, LEASE)));
        const claimed = batches.flat().map((q) => q.id);
        assert.equal(claimed.length, 5);
        assert.deepEqual([...claimed].sort(), [...ids].sort());
      });

      it('removes a sent mail', async () => {
        const id = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        await outbox.claimDue(T0, 10, LEASE);
        await outbox.markSent(id);
        assert.deepEqual(await outbox.counts(), { queued: 0, dead: 0 });
        assert.deepEqual(await outbox.claimDue(T0 + 10 * LEASE, 10, LEASE), []);
      });

      it('reschedules a failed mail and counts the attempt', async () => {
        const id = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        await outbox.claimDue(T0, 10, LEASE);
        const next = T0 + 5 * LEASE;
        await outbox.markFailed(id, next);
        assert.deepEqual(await outbox.claimDue(next - 1, 10, LEASE), []);
        assert.deepEqual(await outbox.claimDue(next, 10, LEASE), [
          { id, mail: mail('a.a@ac-paris.fr'), attempts: 1 },
        ]);
        await outbox.markFailed(id, next + 1);
        assert.equal((await outbox.claimDue(next + 1, 10, LEASE))[0]?.attempts, 2);
      });

      it('moves a mail given up on to the dead letters', async () => {
        const id = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        await outbox.enqueue(mail('b.b@ac-paris.fr'), T0);
        await outbox.claimDue(T0, 1, LEASE);
        await outbox.markDead(id, 'smtp 550');
        assert.deepEqual(await outbox.counts(), { queued: 1, dead: 1 });
        const left = await outbox.claimDue(T0 + 10 * LEASE, 10, LEASE);
        assert.deepEqual(
          left.map((q) => q.mail),
          [mail('b.b@ac-paris.fr')],
        );
      });

      it('holds a postponed mail until the given time without counting an attempt', async () => {
        const id = await outbox.enqueue(mail('a.a@ac-paris.fr'), T0);
        await outbox.claimDue(T0, 10, LEASE);
        await outbox.postpone(id, T0 + 4 * HOUR);
        assert.deepEqual(await outbox.claimDue(T0 + 4 * HOUR - 1, 10, LEASE), []);
        assert.deepEqual(await outbox.claimDue(T0 + 4 * HOUR, 10, LEASE), [
          { id, mail: mail('a.a@ac-paris.fr'), attempts: 0 },
        ]);
        await outbox.markSent(id);
        await outbox.postpone(id, T0 + 5 * HOUR);
        assert.deepEqual(await outbox.counts(), { queued: 0, dead: 0 }, 'a sent mail is not brought back');
      });

      it('ignores acknowledgements for a mail withdrawn while a worker held it', async () => {
        const email = address();
        const conversationTag = tag();
        await repo.requestAccount(requestFor(email, T0, { conversationTag }));
        const [claimed] = await outbox.claimDue(T0, 10, LEASE);
        assert.ok(claimed);
        await repo.requestAccount(requestFor(email, T0 + 1, { conversationTag }));
        await outbox.markSent(claimed.id);
        await outbox.markFailed(claimed.id, T0 + 2);
        await outbox.markDead(claimed.id, 'late');
        assert.equal((await outbox.counts()).dead, 0);
        const queued = await drain(outbox, T0 + 10 * LEASE);
        assert.equal(confirmationsTo(queued, email).length, 1);
      });
    });
  });
}
