import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { parseHelpdeskUsers } from '../../../src/http/helpdesk';
import { type TestRedis, testRedis } from '../../support/redis';
import { AGENT, basic, FakeAccounts, InTestArchive, startConsole, testPhc } from './support';

describe('helpdesk console: rate limits and configuration', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  before(async () => {
    redis = await testRedis();
  });
  after(async () => {
    await redis?.cleanup();
  });

  it('blocks a client address after repeated failures (429), even with the right password then', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      limits: { failuresPerAddress: 3, failuresPerLogin: 100 },
    });
    try {
      for (let i = 0; i < 3; i += 1)
        assert.equal((await app.get('/helpdesk', { auth: basic(AGENT.login, `faux${i}`) })).status, 401);
      const blocked = await app.get('/helpdesk');
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      assert.match(await blocked.text(), /Trop d’essais/);
      // A browser's first request, without credentials, is not counted as a failure.
    } finally {
      await app.close();
    }
  });

  it('blocks a login attacked from many addresses (429)', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
      limits: { failuresPerAddress: 100, failuresPerLogin: 2 },
    });
    try {
      const from = (address: string, password: string) =>
        app.get('/helpdesk/api/audit', {
          auth: basic(AGENT.login, password),
          headers: { 'X-Forwarded-For': address },
        });
      assert.equal((await from('192.0.2.1', 'faux')).status, 401);
      assert.equal((await from('192.0.2.2', 'faux')).status, 401);
      assert.equal((await from('192.0.2.3', AGENT.password)).status, 429);
      // Another agent is not locked out by the attack on this login.
      const other = await app.get('/helpdesk/api/audit', {
        auth: basic('autre', 'x'),
        headers: { 'X-Forwarded-For': '192.0.2.4' },
      });
      assert.equal(other.status, 401);
    } finally {
      await app.close();
    }
  });

  it('is not mounted without users: every /helpdesk route is 404', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      users: [],
    });
    try {
      for (const path of ['/helpdesk', '/helpdesk/api/conversations?day=2014-11-20', '/helpdesk/api/audit'])
        assert.equal((await app.get(path)).status, 404, path);
    } finally {
      await app.close();
    }
  });

  describe('parseHelpdeskUsers', () => {
    it('reads whitespace-separated login:PHC pairs (PHC strings hold commas)', async () => {
      const a = await testPhc('Premier-mot-2014');
      const b = await testPhc('Second-mot-2014');
      assert.deepEqual(parseHelpdeskUsers(`agent.paris:${a}\n  agent_creteil:${b} `), [
        { login: 'agent.paris', phc: a },
        { login: 'agent_creteil', phc: b },
      ]);
      assert.deepEqual(parseHelpdeskUsers(''), []);
      assert.deepEqual(parseHelpdeskUsers(undefined), []);
    });

    it('refuses malformed entries without quoting the hash', async () => {
      const phc = await testPhc('Premier-mot-2014');
      assert.throws(() => parseHelpdeskUsers(`agent,${phc}`), /entrée n° 1/);
      assert.throws(() => parseHelpdeskUsers('agent:motdepasse'), /argon2id/);
      assert.throws(() => parseHelpdeskUsers(`a:${phc} a:${phc}`), /en double/);
      assert.throws(
        () => parseHelpdeskUsers(`a:${phc.replace('argon2id', 'argon2i')}`),
        (error: Error) => !error.message.includes(phc.split('$').at(-1) ?? '---'),
      );
    });
  });
});
