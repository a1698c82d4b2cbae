import assert from 'node:assert/strict';
import { UNKNOWN_ADDRESS } from '../../src/domain/audit/ports';
import { clientNetwork } from '../../src/http/client-network';

describe('clientNetwork (what the login budget and the audit count)', () => {
  it('keeps an IPv4 address as it is, also when the socket shows it mapped in IPv6', () => {
    assert.equal(clientNetwork('203.0.113.5'), '203.0.113.5');
    assert.equal(clientNetwork('::ffff:127.0.0.1'), '127.0.0.1');
  });

  it('counts an IPv6 address by its /64, written canonically', () => {
    for (const [address, network] of [
      ['2001:db8:aa:bb:cc:dd:ee:ff', '2001:db8:aa:bb::/64'],
      ['2001:DB8:0:0:1::5', '2001:db8::/64'],
      ['2001:db8:0:0:ffff::1', '2001:db8::/64'],
      ['1:0:0:0:0:0:0:1', '1::/64'],
      ['2001:0:0:1::1', '2001:0:0:1::/64'],
      ['fe80::1%eth0', 'fe80::/64'],
      ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
      ['::', '::/64'],
      ['::1', '::1'],
    ])
      assert.equal(clientNetwork(address as string), network, address);
  });

  it('stores nothing odd: whatever is not an IP is « ? »', () => {
    for (const hostile of [
      'unknown',
      '',
      'x'.repeat(10_000),
      '2001:db8::/64',
      '1.2.3.4\r\nSet: x',
      '<script>',
    ])
      assert.equal(clientNetwork(hostile), UNKNOWN_ADDRESS, hostile.slice(0, 20));
  });
});
