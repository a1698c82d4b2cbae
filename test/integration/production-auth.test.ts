import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { type App, buildApp } from '../../src/index';
import { silentLogger } from '../../src/log';
import { TEST_REDIS_URL, testRedis } from '../support/redis';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink';

/** A JWT-shaped string nobody signed: header and claims are readable, the signature is noise. */
function forgedJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ alg: 'RS256', typ: 'JWT', kid: 'forged' }),
    part({ iss: 'https://api.botframework.com', aud: APP_ID, exp: now + 600, nbf: now - 60 }),
    randomBytes(64).toString('base64url'),
  ].join('.');
}

const APP_ID = '6f1c3a52-9d4e-4b8a-a0c2-7e5d1f93b4a1';

/**
 * With NODE_ENV=production the adapter checks the Bot Framework JWT on /api/messages: nothing reaches the
 * bot without it. (A real token needs Azure, which this machine cannot reach.)
 */
describe('production: /api/messages requires a Bot Framework token', function () {
  this.timeout(30_000);
  let app: App;
  let url: string;
  let smtp: SmtpSink;
  let redis: Awaited<ReturnType<typeof testRedis>>;

  before(async () => {
    redis = await testRedis();
    smtp = await startSmtpSink();
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: redis.prefix,
      SMTP_URL: smtp.url,
      PUBLIC_BASE_URL: 'https://electeur.example.fr',
      SECRET_KEY: randomBytes(32).toString('hex'),
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      LOG_LEVEL: 'silent',
      DATA_CONTROLLER: 'Rectorat de l’académie de Paris',
      DPO_CONTACT: 'dpd@ac-paris.fr',
      RIGHTS_CONTACT: 'dpd@ac-paris.fr',
      ACCESSIBILITY_CONTACT: 'accessibilite@ac-paris.fr',
    });
    app = buildApp(config, silentLogger());
    url = await app.start();
  });

  after(async () => {
    await app.stop();
    await smtp.close();
    await redis.cleanup();
  });

  const activity = () => ({
    id: randomUUID(),
    type: 'message',
    text: 'Quand a lieu le vote ?',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/fr/',
    conversation: { id: `conv-${randomUUID()}` },
    from: { id: 'user' },
    recipient: { id: `28:${APP_ID}` },
    deliveryMode: 'expectReplies',
  });

  for (const [name, headers] of [
    ['without Authorization', {}],
    ['with a malformed token', { Authorization: 'Bearer abc.def' }],
    ['with a token of another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ] as const) {
    it(`answers 401 ${name}, and the bot never runs`, async () => {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(activity()),
      });
      assert.equal(response.status, 401);
      const body = await response.text();
      assert.doesNotMatch(body, /27 novembre/, 'no reply of the bot');
      const keys = await redis.keys();
      assert.ok(!keys.some((key) => key.includes('state')), `no conversation state: ${keys.join(', ')}`);
    });
  }

  it('refuses a forged, unsigned token without answering for the bot', async () => {
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${forgedJwt()}` },
      body: JSON.stringify(activity()),
    });
    // With Microsoft's key endpoint reachable the adapter answers 401 (unknown key); this machine cannot
    // reach it, so the adapter fails to fetch the keys (500). Either way the bot never runs.
    assert.ok([401, 500].includes(response.status), `status ${response.status}`);
    const keys = await redis.keys();
    assert.ok(!keys.some((key) => key.includes('state')), `no conversation state: ${keys.join(', ')}`);
    assert.doesNotMatch(await response.text(), /27 novembre/);
  });
});
