import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ConfigError, loadConfig } from '../../../src/config';

/** A production environment without Redis; each test adds one mode. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  MicrosoftAppId: '0b7d4a3e-5c21-4f8e-9a6d-2e1f3c4b5a69',
  MicrosoftAppPassword: 'not-a-real-secret',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  PUBLIC_BASE_URL: 'https://assistant.ac-paris.fr',
  SECRET_KEY: 'k'.repeat(40),
  DATA_CONTROLLER: 'Rectorat de l’académie de Paris',
  DPO_CONTACT: 'dpd@ac-paris.fr',
  RIGHTS_CONTACT: 'dpd@ac-paris.fr',
  ACCESSIBILITY_CONTACT: 'accessibilite@ac-paris.fr',
};

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `ConfigError expected, got ${String(error)}`);
    return error.issues;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('configuration of the three Redis modes', () => {
  it('reads one node from REDIS_URL', () => {
    const config = loadConfig({ ...PRODUCTION, REDIS_URL: 'redis://:secret@redis.internal:6380' });
    assert.deepEqual(config.redis, { mode: 'single', url: 'redis://:secret@redis.internal:6380' });
    assert.ok(Object.isFrozen(config.redis));
  });

  it('reads sentinels, the master name and a password', () => {
    const config = loadConfig({
      ...PRODUCTION,
      REDIS_SENTINELS: 'sentinel-1:26379, sentinel-2:26379,10.0.0.3:26380',
      REDIS_SENTINEL_NAME: 'electeur',
      REDIS_PASSWORD: 'secret',
    });
    assert.deepEqual(config.redis, {
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26379 },
        { host: '10.0.0.3', port: 26380 },
      ],
      name: 'electeur',
      password: 'secret',
    });
    assert.equal(config.redisUrl, undefined);
  });

  it('reads the seed nodes of a Cluster', () => {
    const config = loadConfig({ ...PRODUCTION, REDIS_CLUSTER_NODES: 'redis-a:7000 redis-b:7001' });
    assert.deepEqual(config.redis, {
      mode: 'cluster',
      nodes: [
        { host: 'redis-a', port: 7000 },
        { host: 'redis-b', port: 7001 },
      ],
      password: undefined,
    });
  });

  it('refuses to start in production without any of them, naming all three', () => {
    const found = issues(PRODUCTION).filter((line) => line.startsWith('REDIS_URL'));
    assert.equal(found.length, 1);
    assert.match(found[0] as string, /Redis est obligatoire en production/);
    assert.match(found[0] as string, /REDIS_SENTINELS ou REDIS_CLUSTER_NODES/);
  });

  it('refuses two modes at once, a sentinel list without its master name, and malformed lists', () => {
    assert.match(
      issues({ ...PRODUCTION, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'a:7000' }).join(
        '\n',
      ),
      /REDIS_CLUSTER_NODES : un seul mode Redis à la fois/,
    );
    assert.match(
      issues({ ...PRODUCTION, REDIS_SENTINELS: 'a:26379' }).join('\n'),
      /REDIS_SENTINEL_NAME : obligatoire avec REDIS_SENTINELS/,
    );
    assert.match(
      issues({ ...PRODUCTION, REDIS_CLUSTER_NODES: 'redis-a' }).join('\n'),
      /REDIS_CLUSTER_NODES.* : une liste hôte:port/,
    );
    assert.match(
      issues({ ...PRODUCTION, REDIS_CLUSTER_NODES: 'redis-a:70000' }).join('\n'),
      /REDIS_CLUSTER_NODES.* : un numéro de port/,
    );
    assert.match(
      issues({ ...PRODUCTION, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PASSWORD: 'x' }).join('\n'),
      /REDIS_PASSWORD : avec REDIS_URL, le mot de passe s’écrit dans l’URL/,
    );
  });

  it('keeps the embedded mode (no Redis) outside production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'test' }).redis, undefined);
  });
});
