import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createTokenSealer, hashToken, newToken } from '../../../src/domain/accounts/tokens';

const SECRET = 'a test secret that is at least thirty-two characters long';

describe('tokens', () => {
  it('makes 32 random bytes in base64url', () => {
    const token = newToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    const many = new Set(Array.from({ length: 1000 }, newToken));
    assert.equal(many.size, 1000);
  });

  it('hashes with sha256 in hex', () => {
    assert.equal(hashToken('abc'), createHash('sha256').update('abc').digest('hex'));
    assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  describe('sealer', () => {
    const sealer = createTokenSealer(SECRET);

    it('round-trips a token in the v1.<iv>.<ciphertext>.<tag> format', () => {
      const token = newToken();
      const sealed = sealer.seal(token);
      assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      assert.ok(!sealed.includes(token));
      assert.equal(sealer.unseal(sealed), token);
    });

    it('uses a fresh IV every time', () => {
      const token = newToken();
      const a = sealer.seal(token);
      const b = sealer.seal(token);
      assert.notEqual(a, b);
      assert.notEqual(a.split('.')[1], b.split('.')[1]);
      assert.equal(sealer.unseal(a), sealer.unseal(b));
    });

    it('opens with another sealer made from the same secret', () => {
      const sealed = sealer.seal('token');
      assert.equal(createTokenSealer(SECRET).unseal(sealed), 'token');
    });

    it('refuses a value sealed with another secret', () => {
      const sealed = createTokenSealer(`${SECRET}!`).seal('token');
      assert.throws(() => sealer.unseal(sealed));
    });

    it('refuses any tampering', () => {
      const sealed = sealer.seal(newToken());
      const parts = sealed.split('.');
      for (let part = 1; part <= 3; part++) {
        const value = parts[part] ?? '';
        for (let i = 0; i < value.length; i++) {
          const flipped = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
          const tampered = parts.map((p, j) => (j === part ? flipped : p)).join('.');
          assert.throws(() => sealer.unseal(tampered), `part ${part}, character ${i}`);
        }
      }
    });

    it('refuses malformed values', () => {
      const [, iv, ciphertext, tag] = sealer.seal('token').split('.');
      for (const bad of [
        '',
        'v1',
        `v2.${iv}.${ciphertext}.${tag}`,
        `v1.${iv}.${ciphertext}`,
        `v1.${iv}.${ciphertext}.${tag}.x`,
        `v1.${iv}.${ciphertext}.${tag?.slice(0, 10)}`,
        `v1.${iv}==.${ciphertext}.${tag}`,
        `v1.${iv}.${ciphertext}.${tag}`.replace(/^v1/, 'V1'),
      ]) {
        assert.throws(() => sealer.unseal(bad), bad);
      }
    });

    it('needs a secret', () => {
      assert.throws(() => createTokenSealer(''));
    });
  });
});
