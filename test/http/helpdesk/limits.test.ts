import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { parseHelpdeskUsers } from '../../../src/http/helpdesk';
import { RedisRateLimiter } from '../../../src/infra/redis/rate-limiter';
import { type TestRedis, testRedis } from '../../support/redis';
import { startPrivateRedis } from '../../support/redis-server';
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

  it('blocks a client address after 10 failures, whatever the logins, even with the right password then', async () => {
    const app = await startConsole(redis, { transcripts: new InTestArchive(), accounts: new FakeAccounts() });
    try {
      for (let i = 0; i < 10; i += 1)
        assert.equal((await app.get('/helpdesk', { auth: basic(`devine${i}`, 'faux') })).status, 401);
      const blocked = await app.get('/helpdesk');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.headers.get('retry-after'), '90');
      assert.match(
        await blocked.text(),
        /Trop d’essais d’identification depuis votre connexion\. Réessayez dans 2\u00a0minutes\./,
      );
    } finally {
      await app.close();
    }
  });

  it('counts a burst of parallel guesses before verifying them: no more verifications than the budget', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    try {
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          app.get('/helpdesk/api/audit', {
            auth: basic(AGENT.login, `faux${i}`),
            headers: { 'X-Forwarded-For': '198.51.100.77' },
          }),
        ),
      );
      const statuses = guesses.map((response) => response.status);
      // The (login, IP) budget is 5: every other guess is refused before any argon2 work.
      assert.equal(statuses.filter((status) => status === 401).length, 5, `${statuses}`);
      assert.equal(statuses.filter((status) => status === 429).length, 25, `${statuses}`);
    } finally {
      await app.close();
    }
  });

  it('does not charge an agent for their own requests: every page carries the credentials', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    try {
      for (let i = 0; i < 20; i += 1) {
        const response = await app.get('/helpdesk/api/audit', {
          auth: basic(AGENT.login, AGENT.password),
          headers: { 'X-Forwarded-For': '192.0.2.44' },
        });
        assert.equal(response.status, 200, `request ${i + 1}`);
      }
    } finally {
      await app.close();
    }
  });

  it('never lets a stranger lock an agent out: failures count per IP and per (login, IP)', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    const from = (address: string, password: string, login = AGENT.login) =>
      app.get('/helpdesk/api/audit', {
        auth: basic(login, password),
        headers: { 'X-Forwarded-For': address },
      });
    try {
      // The stranger knows the login and hammers it from one address…
      const statuses = [];
      for (let i = 0; i < 8; i += 1) statuses.push((await from('198.51.100.66', `faux${i}`)).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      // …and from many: each address only spends its own budget.
      for (let i = 1; i <= 30; i += 1) assert.equal((await from(`203.0.113.${i}`, 'faux')).status, 401);
      // The agent, from the office, is not affected.
      assert.equal((await from('192.0.2.10', AGENT.password)).status, 200);
      // The blocked pair does not block other logins from that address until its own budget is spent.
      assert.equal((await from('198.51.100.66', 'x', 'autre')).status, 401);
    } finally {
      await app.close();
    }
  });

  it('forgets the (login, IP) failures after a successful login', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    const from = (password: string) =>
      app.get('/helpdesk/api/audit', {
        auth: basic(AGENT.login, password),
        headers: { 'X-Forwarded-For': '192.0.2.20' },
      });
    try {
      for (let i = 0; i < 4; i += 1) assert.equal((await from('faute-de-frappe')).status, 401);
      assert.equal((await from(AGENT.password)).status, 200);
      for (let i = 0; i < 4; i += 1) assert.equal((await from('faute-de-frappe')).status, 401);
      assert.equal((await from(AGENT.password)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('answers 503, not an open door, when the limiter cannot reach Redis', async () => {
    const dead = await startPrivateRedis();
    const client = new Redis(dead.url, { maxRetriesPerRequest: 0, commandTimeout: 300, lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
    await dead.stop();
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      limiter: new RedisRateLimiter(client),
    });
    try {
      const response = await app.get('/helpdesk/api/audit');
      assert.equal(response.status, 503);
      assert.match(await response.text(), /momentanément indisponible/);
    } finally {
      await app.close();
      client.disconnect();
      await dead.destroy();
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
