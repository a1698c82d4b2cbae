import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/http/client-address';

const request = (forwarded: string | undefined, socket = '10.0.0.5') =>
  ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: socket },
  }) as unknown as IncomingMessage;

describe('clientAddress (every rate limit keys on it)', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted: a client could write anything there', () => {
    assert.equal(clientAddress(request('203.0.113.9'), false), '10.0.0.5');
  });

  it('behind a trusted proxy, takes the last hop (the one the proxy wrote), without its port', () => {
    assert.equal(clientAddress(request('1.2.3.4, 203.0.113.9'), true), '203.0.113.9');
    assert.equal(clientAddress(request('198.51.100.7:54321'), true), '198.51.100.7');
    assert.equal(clientAddress(request('[2001:db8::1]:443'), true), '2001:db8::1');
    assert.equal(clientAddress(request('2001:db8::1'), true), '2001:db8::1');
  });

  it('falls back to the socket when the header is absent or empty', () => {
    assert.equal(clientAddress(request(undefined), true), '10.0.0.5');
    assert.equal(clientAddress(request(' , '), true), '10.0.0.5');
  });
});
