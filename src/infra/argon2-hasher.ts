import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../domain/accounts/ports';

export interface Argon2HasherOptions {
  /** KiB. */
  memoryCost?: number;
  timeCost?: number;
  parallelism?: number;
}

/** OWASP Password Storage Cheat Sheet, first argon2id configuration. */
export const OWASP_ARGON2ID: Required<Argon2HasherOptions> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * argon2id with a PHC string output, which records its own parameters: hashes made with lower test
 * costs, or with today's costs after they are raised, still verify.
 */
export function createArgon2Hasher(options: Argon2HasherOptions = {}): PasswordHasher {
  const params = { ...OWASP_ARGON2ID, ...options, algorithm: Algorithm.Argon2id };
  return {
    hash: (password) => hash(password, params),
    async verify(phc, password) {
      try {
        return await verify(phc, password);
      } catch {
        // A malformed or foreign hash is a failed verification, not a crash of the turn.
        return false;
      }
    },
  };
}
