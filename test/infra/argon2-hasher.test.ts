import assert from 'node:assert/strict';
import { createArgon2Hasher, OWASP_ARGON2ID } from '../../src/infra/argon2-hasher';

describe('argon2 hasher', () => {
  it('uses argon2id with the OWASP parameters by default, in PHC format', async () => {
    assert.deepEqual(OWASP_ARGON2ID, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const phc = await createArgon2Hasher().hash('Abcdefg1');
    assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
  });

  describe('with a lower cost for tests', () => {
    const hasher = createArgon2Hasher({ memoryCost: 1024, timeCost: 1 });

    it('records the chosen cost', async () => {
      assert.match(await hasher.hash('Abcdefg1'), /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    });

    it('verifies the right password only', async () => {
      const phc = await hasher.hash('Élodie2014');
      assert.equal(await hasher.verify(phc, 'Élodie2014'), true);
      assert.equal(await hasher.verify(phc, 'élodie2014'), false);
      assert.equal(await hasher.verify(phc, ''), false);
    });

    it('salts every hash', async () => {
      assert.notEqual(await hasher.hash('Abcdefg1'), await hasher.hash('Abcdefg1'));
    });

    it('verifies hashes made with other parameters', async () => {
      const phc = await createArgon2Hasher({ memoryCost: 2048, timeCost: 2 }).hash('Abcdefg1');
      assert.equal(await hasher.verify(phc, 'Abcdefg1'), true);
    });

    it('treats a malformed hash as a failed verification', async () => {
      assert.equal(await hasher.verify('not a phc string', 'Abcdefg1'), false);
      assert.equal(await hasher.verify('', 'Abcdefg1'), false);
    });
  });
});
