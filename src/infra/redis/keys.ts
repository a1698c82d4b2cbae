import { createHash } from 'node:crypto';

/** Longer parts are hashed: a hostile conversation or activity id must not be able to create huge keys. */
export const MAX_KEY_PART_LENGTH = 200;

/**
 * A key part that is safe to embed in a Redis key. The `#` marker of hashed parts cannot collide with a
 * legitimate short part, because a short part starting with `#` is hashed too.
 */
export function keyPart(part: string): string {
  if (part.length <= MAX_KEY_PART_LENGTH && !part.startsWith('#')) return part;
  return `#${createHash('sha256').update(part, 'utf8').digest('hex')}`;
}
