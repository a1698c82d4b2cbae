import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'mocha';
import type { NewPasswordEntry, PasswordEntryStore } from '../../../src/domain/accounts/password-entry';
import { hashToken, newToken } from '../../../src/domain/accounts/tokens';

const NOW = Date.parse('2014-11-20T08:00:00Z');
const PHC = '$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';

function entry(overrides: Partial<NewPasswordEntry> = {}): NewPasswordEntry {
  return {
    id: randomBytes(16).toString('base64url'),
    tokenHash: hashToken(newToken()),
    email: 'jean.dupont@ac-paris.fr',
    conversation: { channelId: 'webchat', conversation: { id: 'conv-1' } },
    expiresAt: NOW + 30 * 60_000,
    createdAt: NOW,
    ...overrides,
  };
}

/** The same answers from the memory twin and from Redis. */
export function passwordEntryStoreContract(
  makeStore: () => Promise<PasswordEntryStore> | PasswordEntryStore,
) {
  it('finds a new entry by its token hash, pending, with its conversation', async () => {
    const store = await makeStore();
    const e = entry();
    await store.create(e);
    const found = await store.findByToken(e.tokenHash);
    assert.deepEqual(found, {
      id: e.id,
      email: e.email,
      conversation: e.conversation,
      expiresAt: e.expiresAt,
      status: 'pending',
    });
    assert.equal(await store.findByToken(hashToken(newToken())), null);
  });

  it('completes once, then says « used »; the PHC stays until consumed, then leaves the record', async () => {
    const store = await makeStore();
    const e = entry();
    await store.create(e);
    assert.equal(await store.claim(e.id), null, 'nothing to claim before the page is submitted');
    assert.equal(await store.complete(e.tokenHash, PHC, NOW + 1000), 'entered');
    assert.equal(await store.complete(e.tokenHash, PHC, NOW + 2000), 'used');
    assert.equal((await store.findByToken(e.tokenHash))?.status, 'entered');
    assert.deepEqual(await store.claim(e.id), { email: e.email, passwordHash: PHC });
    assert.deepEqual(
      await store.claim(e.id),
      { email: e.email, passwordHash: PHC },
      'a claim only reads: the turn using it may fail',
    );
    assert.equal(await store.claim('another-id'), null, 'only the entry’s own id');
    await store.consume(e.id);
    assert.equal(await store.claim(e.id), 'consumed', 'consumed once the account was requested');
    assert.equal((await store.findByToken(e.tokenHash))?.status, 'claimed');
    await store.revoke(e.id);
    assert.equal((await store.findByToken(e.tokenHash))?.status, 'claimed', 'a used entry stays used');
    assert.equal(await store.complete(e.tokenHash, PHC, NOW + 3000), 'used');
  });

  it('refuses an expired link (valid strictly before its expiry) and an unknown one', async () => {
    const store = await makeStore();
    const e = entry();
    await store.create(e);
    assert.equal(await store.complete(e.tokenHash, PHC, e.expiresAt), 'expired');
    assert.equal(await store.claim(e.id), null);
    assert.equal(await store.complete(hashToken(newToken()), PHC, NOW), 'unknown');
  });

  it('a revoked link says « replaced »; revoking an entered one drops its PHC', async () => {
    const store = await makeStore();
    const a = entry();
    const b = entry();
    await store.create(a);
    await store.create(b);
    await store.revoke(a.id);
    assert.equal(await store.complete(a.tokenHash, PHC, NOW), 'replaced');
    assert.equal((await store.findByToken(a.tokenHash))?.status, 'revoked');
    assert.equal(await store.complete(b.tokenHash, PHC, NOW), 'entered');
    await store.revoke(b.id);
    assert.equal(await store.claim(b.id), null, 'a revoked entry hands no PHC');
    assert.equal((await store.findByToken(b.tokenHash))?.status, 'revoked');
  });

  it('one submit only takes a link for hashing; the lease and a release free it again', async () => {
    const store = await makeStore();
    const e = entry();
    await store.create(e);
    const lease = NOW + 60_000;
    const tries = await Promise.all(Array.from({ length: 8 }, () => store.begin(e.tokenHash, NOW, lease)));
    assert.deepEqual(tries.filter((o) => o === 'hashing').length, 1, 'one winner');
    assert.ok(
      tries.every((o) => o === 'hashing' || o === 'busy'),
      tries.join(','),
    );
    assert.equal((await store.findByToken(e.tokenHash))?.status, 'hashing');
    await store.release(e.tokenHash);
    assert.equal((await store.findByToken(e.tokenHash))?.status, 'pending', 'a failed hash frees the link');
    assert.equal(await store.begin(e.tokenHash, NOW, lease), 'hashing');
    assert.equal(await store.begin(e.tokenHash, lease - 1, lease + 60_000), 'busy');
    assert.equal(
      await store.begin(e.tokenHash, lease, lease + 60_000),
      'hashing',
      'a dead submit’s lease ends',
    );
    assert.equal(await store.complete(e.tokenHash, PHC, lease + 1), 'entered');
    assert.equal(await store.begin(e.tokenHash, lease + 2, lease + 60_000), 'used');
    await store.consume(e.id);
    const late = entry();
    await store.create(late);
    assert.equal(await store.begin(late.tokenHash, late.expiresAt, late.expiresAt + 1), 'expired');
    assert.equal(await store.begin(hashToken(newToken()), NOW, lease), 'unknown');
    await store.revoke(late.id);
    assert.equal(await store.begin(late.tokenHash, NOW, lease), 'replaced');
  });
}
