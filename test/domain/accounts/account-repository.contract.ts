import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type {
  AccountRepository,
  AccountRequest,
  Outbox,
  OutboxMail,
  QueuedMail,
} from '../../../src/domain/accounts/ports';

export interface ContractSubject {
  repo: AccountRepository;
  outbox: Outbox;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2014, 10, 20, 8, 0, 0);
const HOUR = 3_600_000;
const TTL = 48 * HOUR;
const LEASE = 60_000;

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

function requestFor(email: string, now = T0, overrides: Partial<AccountRequest> = {}) {
  const token = fakeToken();
  const request: AccountRequest = {
    email,
    passwordHash: `$argon2id$fake$${randomBytes(6).toString('hex')}`,
    tokenHash: token.tokenHash,
    sealedToken: token.sealedToken,
    tokenExpiresAt: now + TTL,
    now,
    ...overrides,
  };
  return request;
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

    describe('resendConfirmation', () => {
      it('gives a pending account a new link, keeps its password, and retires the old link and mail', async () => {
        const email = address();
        const first = requestFor(email, T0);
        await repo.requestAccount(first);
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
        assert.equal(await repo.passwordHash(email), first.passwordHash, 'the password is kept');
        assert.equal((await repo.find(email))?.tokenExpiresAt, later + TTL);

        const mails = await drain(outbox, later);
        assert.deepEqual(
          confirmationsTo(mails, email).map((m) => (m.kind === 'confirmation' ? m.sealedToken : '')),
          [fresh.sealedToken],
          'only the new link is sent',
        );
        assert.deepEqual(await repo.confirm(first.tokenHash, later), { status: 'replaced' });
        assert.equal((await repo.confirm(fresh.tokenHash, later)).status, 'confirmed');
      });

      it('resends nothing for a confirmed or unknown address', async () => {
        const email = address();
        const request = requestFor(email, T0);
        await repo.requestAccount(request);
        await repo.confirm(request.tokenHash, T0);
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
          assert.deepEqual(await repo.confirm(token.tokenHash, T0 + HOUR), { status: 'unknown' });
        }
        const resent = confirmationsTo(await drain(outbox, T0 + HOUR), email).filter(
          (m) => m.kind === 'confirmation' && m.sealedToken !== request.sealedToken,
        );
        assert.deepEqual(resent, [], 'no new link for a confirmed account');
      });
    });

    describe('requestAccount', () => {
      it('creates a pending account and queues one confirmation mail carrying the sealed token', async () => {
        const email = address();
        const request = requestFor(email, T0, { conversation: { id: 'conv-1' } });
        assert.equal(await repo.requestAccount(request), 'created');

        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'pending');
        assert.equal(snapshot?.email, email);
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.updatedAt, T0);
        assert.equal(snapshot?.tokenExpiresAt, request.tokenExpiresAt);
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

      it('replaces a pending account: new password, old link replaced, old mail withdrawn', async () => {
        const email = address();
        const first = requestFor(email, T0);
        const second = requestFor(email, T0 + HOUR);
        assert.equal(await repo.requestAccount(first), 'created');
        assert.equal(await repo.requestAccount(second), 'replaced');

        assert.equal(await repo.passwordHash(email), second.passwordHash);
        const snapshot = await repo.find(email);
        assert.equal(snapshot?.status, 'pending');
        assert.equal(snapshot?.createdAt, T0);
        assert.equal(snapshot?.updatedAt, T0 + HOUR);
        assert.equal(snapshot?.tokenExpiresAt, second.tokenExpiresAt);

        const mails = await drain(outbox, T0 + HOUR);
        assert.deepEqual(
          confirmationsTo(mails, email).map((m) => m.kind === 'confirmation' && m.sealedToken),
          [second.sealedToken],
        );
        assert.deepEqual(await outbox.counts(), { queued: 1, dead: 0 });

        assert.deepEqual(await repo.confirm(first.tokenHash, T0 + HOUR), { status: 'replaced' });
        assert.equal((await repo.confirm(second.tokenHash, T0 + HOUR)).status, 'confirmed');
      });

      it('replaces a pending account whose link has expired', async () => {
        const email = address();
        const first = requestFor(email, T0);
        await repo.requestAccount(first);
        const later = T0 + TTL + HOUR;
        const second = requestFor(email, later);
        assert.equal(await repo.requestAccount(second), 'replaced');
        assert.equal((await repo.confirm(second.tokenHash, later)).status, 'confirmed');
      });

      it('changes nothing for a confirmed address but queues an « already confirmed » mail', async () => {
        const email = address();
        const first = requestFor(email, T0);
        await repo.requestAccount(first);
        await repo.confirm(first.tokenHash, T0 + 1);
        await drain(outbox, T0 + 1).then((mails) => Promise.all(mails.map((m) => outbox.markSent(m.id))));
        const before = await repo.find(email);

        const again = requestFor(email, T0 + HOUR);
        assert.equal(await repo.requestAccount(again), 'already-confirmed');

        assert.deepEqual(await repo.find(email), before);
        assert.equal(await repo.passwordHash(email), first.passwordHash);
        assert.deepEqual(await repo.confirm(again.tokenHash, T0 + HOUR), { status: 'unknown' });
        const mails = await drain(outbox, T0 + HOUR);
        assert.deepEqual(
          mails.map((m) => m.mail),
          [{ kind: 'already-confirmed', to: email }],
        );
      });

      it('keeps addresses apart', async () => {
        const a = requestFor(address());
        const b = requestFor(address());
        assert.equal(await repo.requestAccount(a), 'created');
        assert.equal(await repo.requestAccount(b), 'created');
        assert.equal((await repo.confirm(a.tokenHash, T0)).status, 'confirmed');
        assert.equal((await repo.find(b.email))?.status, 'pending');
        assert.equal((await repo.confirm(b.tokenHash, T0)).status, 'confirmed');
      });

      it('leaves one pending account and one valid link after 20 concurrent requests for one address', async () => {
        const email = address();
        const requests = Array.from({ length: 20 }, () => requestFor(email, T0));
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

        const confirmations = await Promise.all(requests.map((r) => repo.confirm(r.tokenHash, T0 + 1)));
        assert.equal(confirmations.filter((c) => c.status === 'confirmed').length, 1);
        assert.equal(confirmations.filter((c) => c.status === 'replaced').length, 19);
        assert.equal(confirmations[requests.indexOf(winner)]?.status, 'confirmed');
      });
    });

    describe('confirm', () => {
      it('confirms once, returns the conversation, then says the link was used', async () => {
        const email = address();
        const request = requestFor(email, T0, {
          conversation: { id: 'conv-42', serviceUrl: 'https://example.test' },
        });
        await repo.requestAccount(request);

        const outcome = await repo.confirm(request.tokenHash, T0 + HOUR);
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

        assert.deepEqual(await repo.confirm(request.tokenHash, T0 + HOUR + 1), { status: 'used' });
      });

      it('confirms without a conversation when none was given', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        const outcome = await repo.confirm(request.tokenHash, T0);
        assert.deepEqual(outcome, { status: 'confirmed', email: request.email });
      });

      it('confirms at most once under concurrency', async () => {
        const request = requestFor(address());
        await repo.requestAccount(request);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, () => repo.confirm(request.tokenHash, T0)),
        );
        assert.equal(outcomes.filter((o) => o.status === 'confirmed').length, 1);
        assert.equal(outcomes.filter((o) => o.status === 'used').length, 9);
      });

      it('works until just before tokenExpiresAt and is expired from that instant on', async () => {
        const early = requestFor(address());
        const late = requestFor(address());
        await repo.requestAccount(early);
        await repo.requestAccount(late);
        assert.equal((await repo.confirm(early.tokenHash, early.tokenExpiresAt - 1)).status, 'confirmed');
        assert.deepEqual(await repo.confirm(late.tokenHash, late.tokenExpiresAt), { status: 'expired' });
        assert.deepEqual(await repo.confirm(late.tokenHash, late.tokenExpiresAt + HOUR), {
          status: 'expired',
        });
        assert.equal((await repo.find(late.email))?.status, 'pending');
      });

      it('does not know a token it never stored', async () => {
        assert.deepEqual(await repo.confirm(fakeToken().tokenHash, T0), { status: 'unknown' });
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

      it('ignores acknowledgements for a mail withdrawn while a worker held it', async () => {
        const email = address();
        await repo.requestAccount(requestFor(email, T0));
        const [claimed] = await outbox.claimDue(T0, 10, LEASE);
        assert.ok(claimed);
        await repo.requestAccount(requestFor(email, T0 + 1));
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
