/** A mail domain as académies have them: lower-case labels, a dot, a top-level label (`ac-paris.fr`). */
const DOMAIN_SHAPE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;
/** RFC 1035: a domain name fits in 253 characters; anything longer is not one. */
const MAX_DOMAIN_LENGTH = 253;

/** True for a domain written as configuration expects it: lower case, no trailing dot. */
export function isMailDomain(value: string): boolean {
  return value.length <= MAX_DOMAIN_LENGTH && DOMAIN_SHAPE.test(value);
}

/**
 * The domain of an address, lower-cased (`Claire.Martin@AC-Paris.fr` → `ac-paris.fr`); undefined when the
 * text has no `@` or nothing that looks like a domain after the last one.
 */
export function mailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  return isMailDomain(domain) ? domain : undefined;
}
