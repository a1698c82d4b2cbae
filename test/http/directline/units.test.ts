import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ConversationStore, type Listener, parseWatermark } from '../../../src/http/directline/store';
import { createTokenService, localDirectLineSecret, sameSecret } from '../../../src/http/directline/tokens';

const KEY = 'k'.repeat(64);
const claims = { user: 'dl_abcdefgh1234', conv: 'conversation-1' };

describe('local Direct Line tokens', () => {
  const tokens = createTokenService(KEY);

  it('are HS256 JWTs with user, conv, iat and exp, that verify', () => {
    const { token, expiresIn } = tokens.issue(claims);
    const [head, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    assert.deepEqual(head, { alg: 'HS256', typ: 'JWT' });
    assert.equal(payload.user, claims.user);
    assert.equal(payload.conv, claims.conv);
    assert.equal(payload.exp - payload.iat, expiresIn);
    const check = tokens.verify(token);
    assert.ok(check.ok);
    assert.equal(check.claims.kind, 'conversation');
  });

  it('refuses another key, a changed payload, alg none, a missing token, and garbage', () => {
    const { token } = tokens.issue(claims);
    assert.deepEqual(createTokenService('other'.repeat(10)).verify(token), {
      ok: false,
      problem: 'signature',
    });
    const [head, , signature] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, conv: 'conversation-2' })).toString('base64url');
    assert.deepEqual(tokens.verify(`${head}.${changed}.${signature}`), { ok: false, problem: 'signature' });
    assert.deepEqual(tokens.verify(undefined), { ok: false, problem: 'missing' });
    assert.deepEqual(tokens.verify('a.b'), { ok: false, problem: 'malformed' });
    assert.deepEqual(tokens.verify('a.b.c=='), { ok: false, problem: 'malformed' });

    // A valid MAC over a header that is not ours (alg none) is still refused.
    const none = Buffer.from('{"alg":"none"}').toString('base64url');
    const payload = token.split('.')[1];
    const key = createHmac('sha256', KEY).update('assistant-electeur/directline/token-key').digest();
    const mac = createHmac('sha256', key).update(`${none}.${payload}`).digest('base64url');
    assert.deepEqual(tokens.verify(`${none}.${payload}.${mac}`), { ok: false, problem: 'malformed' });
  });

  it('expire, and are not accepted from the future', () => {
    const now = Date.now();
    const { token } = tokens.issue(claims, { ttlSeconds: 60, nowMs: now });
    assert.ok(tokens.verify(token, now + 59_000).ok);
    assert.deepEqual(tokens.verify(token, now + 60_000), { ok: false, problem: 'expired' });
    const future = tokens.issue(claims, { nowMs: now + 3600_000 }).token;
    assert.deepEqual(tokens.verify(future, now), { ok: false, problem: 'malformed' });
  });

  it('tell a stream token from a conversation token, and refuse ids that are not ours', () => {
    const stream = tokens.issue(claims, { kind: 'stream' });
    const check = tokens.verify(stream.token);
    assert.ok(check.ok && check.claims.kind === 'stream');
    assert.ok(stream.expiresIn <= 300);
    assert.deepEqual(tokens.verify(tokens.issue({ user: 'jeanne', conv: claims.conv }).token), {
      ok: false,
      problem: 'malformed',
    });
  });

  it('derive the local secret from the key, and compare secrets whatever their length', () => {
    assert.equal(tokens.secret, localDirectLineSecret(KEY));
    assert.notEqual(localDirectLineSecret(KEY), localDirectLineSecret(`${KEY}x`));
    assert.ok(!tokens.secret.includes(KEY));
    assert.ok(sameSecret('abc', 'abc'));
    assert.ok(!sameSecret('abc', 'abcd'));
  });
});

describe('conversation store bounds', () => {
  const limits = { maxConversations: 2, maxActivities: 3, idleMs: 1000, maxListeners: 2 };

  const listener = () => {
    const got: string[] = [];
    let closed = false;
    const l: Listener = { send: (set) => got.push(set.watermark), close: () => (closed = true) };
    return { l, got, closed: () => closed };
  };

  it('keeps the last activities only, with string watermarks', () => {
    const store = new ConversationStore(limits);
    const c = store.create('conversation-1', 'dl_user12345');
    for (let i = 0; i < 5; i++) store.append(c, { type: 'message', text: String(i) });
    const all = store.since(c, undefined);
    assert.deepEqual(
      all.activities.map((a) => a.text),
      ['2', '3', '4'],
    );
    assert.equal(all.watermark, '5');
    assert.deepEqual(
      store.since(c, '4').activities.map((a) => a.text),
      ['4'],
    );
    assert.deepEqual(store.since(c, '5').activities, []);
    assert.equal(store.since(c, 'nonsense').activities.length, 3);
    assert.equal(all.activities[0]?.id, 'conversation-1|0000003');
  });

  it('evicts the least recently active conversation, and idle ones, hanging up their listeners', () => {
    const store = new ConversationStore(limits);
    const now = Date.now();
    const a = store.create('conversation-a', 'dl_user12345', now);
    const b = store.create('conversation-b', 'dl_user12345', now);
    const la = listener();
    store.listen(a, la.l);
    store.touch(a, now); // a is now the most recent: b goes first
    store.create('conversation-c', 'dl_user12345', now);
    assert.equal(store.get('conversation-b', now), undefined);
    assert.ok(store.get('conversation-a', now));
    assert.equal(store.size, 2);
    assert.ok(!la.closed());
    assert.ok(b);

    store.sweep(now + 2000);
    assert.equal(store.size, 0);
    assert.ok(la.closed(), 'the expired conversation’s stream is closed');
  });

  it('bounds the listeners of a conversation, closing the oldest', () => {
    const store = new ConversationStore(limits);
    const c = store.create('conversation-1', 'dl_user12345');
    const [one, two, three] = [listener(), listener(), listener()];
    store.listen(c, one.l);
    store.listen(c, two.l);
    store.listen(c, three.l);
    assert.ok(one.closed());
    store.append(c, { type: 'message' });
    assert.deepEqual(one.got, []);
    assert.deepEqual(three.got, ['1']);
  });

  it('reads watermarks strictly', () => {
    assert.equal(parseWatermark('12'), 12);
    assert.equal(parseWatermark(''), 0);
    assert.equal(parseWatermark('-1'), 0);
    assert.equal(parseWatermark('1e9'), 0);
  });
});
