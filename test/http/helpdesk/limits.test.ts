import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import { parseHelpdeskUsers } from '../../../src/http/helpdesk';
import { MemoryAuditLog } from '../../../src/infra/memory-audit';
import { MemoryRateLimiter } from '../../../src/infra/memory-rate-limiter';
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

  for (const store of ['Redis', 'memory (embedded mode)'] as const)
    it(`a success refunds its own attempt only: the failures before it from that address stay counted (${store})`, async () => {
      const app = await startConsole(redis, {
        transcripts: new InTestArchive(),
        accounts: new FakeAccounts(),
        trustProxy: true,
        ...(store === 'Redis' ? {} : { limiter: new MemoryRateLimiter(), audit: new MemoryAuditLog() }),
      });
      const from = (address: string, login: string, password: string) =>
        app.get('/helpdesk/api/audit', {
          auth: basic(login, password),
          headers: { 'X-Forwarded-For': address },
        });
      try {
        // What was found: from one address, 27 guesses across 30 logins, a valid agent every ninth try.
        // The address's budget is 10 failures: the agent's logins must not give any of them back.
        const statuses: number[] = [];
        for (let round = 0; round < 3; round += 1) {
          for (let i = 0; i < 8; i += 1)
            statuses.push((await from('198.51.100.9', `devine${round}-${i}`, 'faux')).status);
          statuses.push((await from('198.51.100.9', AGENT.login, AGENT.password)).status);
        }
        for (let i = 0; i < 3; i += 1)
          statuses.push((await from('198.51.100.9', `devine3-${i}`, 'faux')).status);
        const expected = [...Array(8).fill(401), 200, 401, 401, ...Array(19).fill(429)];
        assert.deepEqual(statuses, expected);
        // The agent elsewhere is not affected.
        assert.equal((await from('192.0.2.30', AGENT.login, AGENT.password)).status, 200);
      } finally {
        await app.close();
      }
    });

  it('the same for one login from one address: a success does not wipe the pair’s failures', async () => {
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
      // The agent gets in, as often as they like: each request pays the fifth attempt and gets it back…
      for (let i = 0; i < 10; i += 1) assert.equal((await from(AGENT.password)).status, 200);
      // …but the four failures are still there: one more, then the pair is blocked.
      assert.equal((await from('faute-de-frappe')).status, 401);
      assert.equal((await from('faute-de-frappe')).status, 429);
    } finally {
      await app.close();
    }
  });

  it('counts an IPv6 client by its /64: a new address in the same network is the same client', async () => {
    const app = await startConsole(redis, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    try {
      const statuses = [];
      for (let i = 1; i <= 11; i += 1)
        statuses.push(
          (
            await app.get('/helpdesk/api/audit', {
              auth: basic(`devine${i}`, 'faux'),
              headers: { 'X-Forwarded-For': `2001:db8:5:6::${i.toString(16)}` },
            })
          ).status,
        );
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
      const other = await app.get('/helpdesk/api/audit', {
        auth: basic(AGENT.login, AGENT.password),
        headers: { 'X-Forwarded-For': '2001:db8:5:7::1' },
      });
      assert.equal(other.status, 200, 'the next /64 is another client');
    } finally {
      await app.close();
    }
  });

  it('counts failed and blocked logins in the audit per address and hour, without login or password', async () => {
    const own = await testRedis();
    const app = await startConsole(own, {
      transcripts: new InTestArchive(),
      accounts: new FakeAccounts(),
      trustProxy: true,
    });
    const secret = 'Mot-De-Passe-Essaye-42';
    const guess = (address: string, login: string) =>
      app.get('/helpdesk/api/audit', {
        auth: basic(login, secret),
        headers: { 'X-Forwarded-For': address },
      });
    try {
      for (let i = 0; i < 12; i += 1) await guess('198.51.100.50', `identifiant.essaye.${i}`);
      await guess('203.0.113.8', 'identifiant.essaye.x');
      // The browser's first request, before its login box: not an attempt, not counted.
      await app.get('/helpdesk/api/audit', { auth: null, headers: { 'X-Forwarded-For': '203.0.113.8' } });
      const response = await app.get('/helpdesk/api/audit', { headers: { 'X-Forwarded-For': '192.0.2.1' } });
      const failed = ((await response.json()) as Array<Record<string, unknown>>)
        .filter((r) => r.action === 'login.failed')
        .sort((x, y) => String(x.address).localeCompare(String(y.address)));
      assert.deepEqual(failed, [
        {
          action: 'login.failed',
          at: '2014-11-20T10:00:00.000Z',
          address: '198.51.100.50',
          failed: 10,
          blocked: 2,
        },
        {
          action: 'login.failed',
          at: '2014-11-20T10:00:00.000Z',
          address: '203.0.113.8',
          failed: 1,
          blocked: 0,
        },
      ]);
      const page = await (await app.get('/helpdesk/audit')).text();
      assert.match(
        page,
        /<code>198\.51\.100\.50<\/code> 10 échec\(s\), 2 essai\(s\) bloqué\(s\) par la limite/,
      );
      // Neither the password nor a login tried is anywhere in Redis, keys or values.
      const dump: string[] = [];
      for (const key of await own.keys()) {
        dump.push(key);
        const type = await own.redis.type(key);
        if (type === 'zset') dump.push(...(await own.redis.zrange(key, '0', '-1')));
        else if (type === 'hash') dump.push(JSON.stringify(await own.redis.hgetall(key)));
        else if (type === 'string') dump.push((await own.redis.get(key)) ?? '');
      }
      const all = dump.join('\n');
      assert.ok(all.includes('198.51.100.50'), 'the dump is not empty');
      assert.doesNotMatch(all, /Mot-De-Passe|identifiant\.essaye/);
    } finally {
      await app.close();
      await own.cleanup();
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

    it('reads a third field: the mail domains the agent serves, lower-cased and sorted', async () => {
      // A PHC holds « $ », « , » and « = »: only what follows the last colon is a scope, when it is one.
      const phc = await testPhc('Premier-mot-2014');
      assert.match(phc, /\$m=\d+,t=\d+,p=\d+\$/);
      assert.deepEqual(
        parseHelpdeskUsers(
          `agent.paris:${phc}:ac-paris.fr\nagent.est:${phc}:AC-Creteil.fr,ac-paris.fr,ac-creteil.fr agent.national:${phc}`,
        ),
        [
          { login: 'agent.paris', phc, domains: ['ac-paris.fr'] },
          { login: 'agent.est', phc, domains: ['ac-creteil.fr', 'ac-paris.fr'] },
          { login: 'agent.national', phc },
        ],
      );
    });

    it('refuses a scope that is not a list of domains, in French, naming HELPDESK_USERS and the login', async () => {
      const phc = await testPhc('Premier-mot-2014');
      const refused = (raw: string, pattern: RegExp) =>
        assert.throws(
          () => parseHelpdeskUsers(raw),
          (error: Error) =>
            /^HELPDESK_USERS, entrée n° \d+/.test(error.message) &&
            pattern.test(error.message) &&
            !error.message.includes(phc.split('$').at(-1) ?? '---'),
          raw.slice(-40),
        );
      refused(`agent:${phc}:`, /\(agent\) : après le second « : », indiquez les domaines servis/);
      refused(`agent:${phc}:,`, /indiquez les domaines servis/);
      refused(`agent:${phc}:ac-paris`, /« ac-paris » n’est pas un domaine de messagerie/);
      refused(`agent:${phc}:ac_paris.fr`, /« ac_paris\.fr » n’est pas un domaine/);
      refused(`agent:${phc}:ac-paris.fr;ac-creteil.fr`, /n’est pas un domaine/);
      refused(`agent:${phc}:ac-paris.fr:ac-creteil.fr`, /argon2id/);
      // A space after a comma splits the entry: the second half is named for what it is.
      refused(
        `agent:${phc}:ac-paris.fr, ac-creteil.fr`,
        /entrée n° 2 : « ac-creteil\.fr » est un domaine seul/,
      );
      // A hash cut or pasted with a colon inside is an unreadable hash, not a scope.
      refused(`agent:${phc.replace('$v=19', ':v=19')}`, /argon2id/);
      refused(`agent:${phc.slice(0, -4)}:${phc.slice(-4)}`, /argon2id/);
      refused(`agent:${phc.slice(0, -4)}:${phc.slice(-4)}/a`, /argon2id/);
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
