import { isIPv4, isIPv6 } from 'node:net';
import { UNKNOWN_ADDRESS } from '../domain/audit/ports';

/**
 * The client as the login budget and the audit count it: an IPv4 address as it is; an IPv6 address by
 * its /64, the network one subscriber gets, since one machine can take a new address in it for every
 * try; anything else (a misconfigured proxy's header) as UNKNOWN_ADDRESS, so nothing long or odd is stored.
 */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return UNKNOWN_ADDRESS;
  if (bare === '::1') return bare;
  const [head = '', tail] = bare.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const rest = tail === '' ? [] : tail.split(':');
    // An embedded IPv4 (last) stands for two groups; it never reaches the first four.
    const width = rest.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
    groups.push(...Array<string>(8 - groups.length - width).fill('0'), ...rest);
  }
  const prefix = groups.slice(0, 4).join(':');
  // The URL parser writes the prefix in canonical form (lower case, zeros compressed).
  return `${new URL(`http://[${prefix}::]`).hostname.slice(1, -3)}::/64`;
}
