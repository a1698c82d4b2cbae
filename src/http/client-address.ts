import type { IncomingMessage } from 'node:http';

/**
 * The client's address for rate limiting, the same for every route (token, confirmation, helpdesk): the
 * socket's, or, when TRUST_PROXY says a proxy sits in front, the last X-Forwarded-For hop — the one our
 * own proxy wrote. Earlier hops are whatever the client sent, so they are never used.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    // Azure's front ends write « address:port »; the port changes on every connection.
    if (forwarded) return withoutPort(forwarded);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(address);
  if (bracketed?.[1]) return bracketed[1];
  // One colon: IPv4 with a port. More: a bare IPv6 address, which has no port.
  const colons = address.split(':').length - 1;
  return colons === 1 ? (address.split(':')[0] ?? address) : address;
}
