import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';

/** `.env.example` is what a newcomer copies: it must load as it is, and name every setting the schema knows. */
describe('.env.example', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_]+)=(.*)$/.exec(line);
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }

  it('loads without error', () => {
    const config = loadConfig(env);
    assert.equal(config.passwordEntry, 'chat');
    assert.equal(config.redis?.mode, 'single');
  });

  it('lists the settings added for production (Redis modes, password entry, Teams tenants)', () => {
    for (const name of [
      'REDIS_SENTINELS',
      'REDIS_SENTINEL_NAME',
      'REDIS_CLUSTER_NODES',
      'REDIS_PASSWORD',
      'PASSWORD_ENTRY',
      'TRUST_PROXY',
      'HELPDESK_USERS',
      'TEAMS_TENANTS',
      'REMINDER_UNCONFIRMED_AFTER',
    ])
      assert.ok(name in env, `${name} missing from .env.example`);
  });
});
