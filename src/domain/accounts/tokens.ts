import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { TokenSealer } from './ports';

const TOKEN_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
/** Fixed and public: it only separates this key from any other key derived from the same secret. */
const HKDF_SALT = 'assistant-electeur/token-sealer';
const HKDF_INFO = 'v1 aes-256-gcm';

/** A confirmation token: 256 random bits, URL-safe (43 characters). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** What the stores keep instead of the token, so that a store dump confirms nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Encrypts tokens for the outbox, so that a queued mail does not hold a usable link in clear until the
 * mail worker renders it. The version is bound as associated data so that it cannot be swapped.
 */
export function createTokenSealer(secret: string): TokenSealer {
  if (secret.length === 0) throw new Error('The token sealer needs a non-empty secret');
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, 32));

  return {
    seal(token: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(VERSION));
      const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return [VERSION, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },

    unseal(sealed: string): string {
      const [iv, ciphertext, tag] = decodeParts(sealed);
      if (!iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new Error('Sealed token is malformed');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(VERSION));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('Sealed token rejected: wrong key or tampered with');
      }
    },
  };
}

/** Strict: a part must be canonical base64url, or unused bits could be changed without detection. */
function decodeParts(sealed: string): Buffer[] {
  const [version, ...parts] = sealed.split('.');
  if (version !== VERSION || parts.length !== 3) return [];
  const buffers = parts.map((part) => Buffer.from(part, 'base64url'));
  return buffers.every((buffer, i) => buffer.toString('base64url') === parts[i]) ? buffers : [];
}
