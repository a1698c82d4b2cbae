import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  CONVERSATION_BYTES,
  ConversationStore,
  DEFAULT_LIMITS,
  type Listener,
  parseWatermark,
} from '../../../src/dev/directline/store';
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
  const limits = {
    ...DEFAULT_LIMITS,
    maxConversations: 2,
    maxActivities: 3,
    idleMs: 1000,
    maxListeners: 2,
  };

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

  it('bounds the bytes of one conversation: the oldest activities go, the newest always stays', () => {
    const store = new ConversationStore({ ...limits, maxActivities: 100, maxConversationBytes: 10_000 });
    const c = store.create('conversation-1', 'dl_user12345');
    for (let i = 0; i < 10; i++) store.append(c, { type: 'message', text: `${i}${'x'.repeat(2_000)}` });
    const kept = store.since(c, undefined).activities.map((a) => String(a.text).slice(0, 1));
    assert.deepEqual(kept, ['6', '7', '8', '9']);
    assert.ok(c.bytes <= 10_000);
    store.append(c, { type: 'message', text: 'y'.repeat(50_000) });
    assert.deepEqual(
      store.since(c, undefined).activities.map((a) => String(a.text).length),
      [50_000],
      'an activity larger than the bound is still delivered, alone',
    );
  });

  it('bounds the bytes of all conversations together, dropping the least recently active whole', () => {
    const maxTotalBytes = 200_000;
    const store = new ConversationStore({
      ...limits,
      maxConversations: 1_000,
      maxActivities: 1_000,
      maxConversationBytes: 50_000,
      maxTotalBytes,
    });
    const now = Date.now();
    const first = store.create('conversation-first', 'dl_user12345', now);
    const hangUp = listener();
    store.listen(first, hangUp.l);
    store.append(first, { type: 'message', text: 'bonjour' });
    // A script opens conversations and fills each one: the total never passes the bound.
    for (let i = 0; i < 100; i++) {
      const c = store.create(`conversation-${i}`, 'dl_user12345', now);
      for (let k = 0; k < 20; k++) store.append(c, { type: 'message', text: 'z'.repeat(4_000) });
      assert.ok(store.totalBytes <= maxTotalBytes, `${store.totalBytes} bytes after conversation ${i}`);
    }
    assert.equal(store.get('conversation-first', now), undefined, 'the oldest went first');
    assert.ok(hangUp.closed(), 'and its stream was closed');
    assert.ok(store.get('conversation-99', now), 'the newest is kept');
    assert.ok(store.size < 100);
    // What is counted is what is kept: the total adds up, conversations included.
    const kept = Array.from({ length: 100 }, (_, i) => store.get(`conversation-${i}`, now)).filter(
      (c) => c !== undefined,
    );
    assert.equal(kept.length, store.size);
    assert.equal(
      store.totalBytes,
      kept.reduce((sum, c) => sum + CONVERSATION_BYTES + c.bytes, 0),
    );
    store.clear();
    assert.equal(store.totalBytes, 0);
  });

  it('reads watermarks strictly', () => {
    assert.equal(parseWatermark('12'), 12);
    assert.equal(parseWatermark(''), 0);
    assert.equal(parseWatermark('-1'), 0);
    assert.equal(parseWatermark('1e9'), 0);
  });
});
