import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';
import { ConfigError, DEFAULT_ACADEMIE_DOMAINS, loadConfig } from '../src/config';

const ROOT = path.resolve(__dirname, '..');

/** A production environment with everything the issue requires. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  MicrosoftAppId: '0b7d4a3e-5c21-4f8e-9a6d-2e1f3c4b5a69',
  MicrosoftAppPassword: 'not-a-real-secret',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  PUBLIC_BASE_URL: 'https://assistant.ac-paris.fr',
  SECRET_KEY: 'k'.repeat(40),
  DATA_CONTROLLER: 'Rectorat de l’académie de Paris',
  DPO_CONTACT: 'dpd@ac-paris.fr',
  RIGHTS_CONTACT: 'https://www.ac-paris.fr/mes-droits',
  ACCESSIBILITY_CONTACT: 'accessibilite@ac-paris.fr',
};

/** What the demo, `npm run dev` and the tests say: development, unauthenticated activities accepted. */
const DEV = { NODE_ENV: 'development' } as const;

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `ConfigError expected, got ${String(error)}`);
    return error;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** The issue lines of the error that name `variable` (a list item may be `ACADEMIE_DOMAINS.1`). */
function linesNaming(error: ConfigError, variable: string): string[] {
  return error.issues.filter(
    (line) => line === variable || line.startsWith(`${variable} `) || line.startsWith(`${variable}.`),
  );
}

describe('configuration (loadConfig)', () => {
  it('has working defaults for a first run', () => {
    const config = loadConfig(DEV);
    assert.equal(config.env, 'development');
    assert.equal(config.production, false);
    assert.equal(config.port, 3978);
    assert.equal(config.redisUrl, undefined, 'no Redis: embedded state');
    assert.equal(config.smtpUrl, undefined, 'no SMTP: mails in a folder');
    assert.equal(config.publicBaseUrl, undefined);
    assert.equal(config.clockNow, undefined);
    // A national deployment: no single webmail, sender or domain list; the académie profiles decide.
    assert.equal(config.webmailUrl, undefined);
    assert.equal(config.mailFrom, undefined);
    assert.equal(config.academieDomains, undefined);
    assert.equal(path.basename(config.academiesPath), 'academies.json');
    assert.ok(fs.existsSync(config.academiesPath), 'the shipped académie profiles exist');
    assert.equal(config.confirmationLinkTtlMs, 48 * 3_600_000, 'links valid 48 h');
    assert.equal(config.maxMessageLength, 2000);
    assert.equal(config.bot.appId, undefined);
    assert.equal(config.bot.appPassword, undefined);
    assert.equal(config.bot.appType, 'MultiTenant');
    assert.equal(config.teamsTenants, undefined, 'any Teams tenant');
    assert.equal(path.basename(config.calendarPath), 'elections-2014.json');
    assert.ok(fs.existsSync(config.calendarPath), 'the shipped 2014 calendar exists');
    assert.ok(path.isAbsolute(config.mailOutboxDir));
  });

  it('keeps DEFAULT_ACADEMIE_DOMAINS to every domain of the shipped profiles, of every period, Paris first', () => {
    const file = JSON.parse(fs.readFileSync(loadConfig(DEV).academiesPath, 'utf8')) as {
      academies: Array<{ domains: string[] }>;
    };
    const shipped = [...new Set(file.academies.flatMap((a) => a.domains))];
    assert.equal(DEFAULT_ACADEMIE_DOMAINS[0], 'ac-paris.fr');
    assert.deepEqual([...DEFAULT_ACADEMIE_DOMAINS].sort(), shipped.sort());
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '4000',
      REDIS_URL: 'redis://127.0.0.1:6380',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      PUBLIC_BASE_URL: 'https://assistant.example.org///',
      CLOCK_NOW: '2014-11-20T09:00:00+01:00',
      WEBMAIL_URL: 'https://webmail.ac-lyon.fr',
      ACADEMIE_DOMAINS: 'AC-LYON.FR, ac-grenoble.fr',
      MAIL_FROM: 'Assistant électeur <ne-pas-repondre@ac-lyon.fr>',
      ACADEMIES_FILE: '/etc/assistant/academies.json',
      CONFIRMATION_LINK_TTL_HOURS: '24',
      MAX_MESSAGE_LENGTH: '500',
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant',
      TEAMS_TENANTS: '11111111-2222-4333-8444-555555555555',
    });
    assert.equal(config.port, 4000);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6380');
    assert.equal(config.publicBaseUrl, 'https://assistant.example.org', 'no trailing slash');
    assert.equal(config.clockNow?.toISOString(), '2014-11-20T08:00:00.000Z');
    assert.deepEqual([...(config.academieDomains ?? [])], ['ac-lyon.fr', 'ac-grenoble.fr']);
    assert.equal(config.webmailUrl, 'https://webmail.ac-lyon.fr');
    assert.equal(config.mailFrom, 'Assistant électeur <ne-pas-repondre@ac-lyon.fr>');
    assert.equal(config.academiesPath, '/etc/assistant/academies.json');
    assert.equal(config.confirmationLinkTtlMs, 24 * 3_600_000);
    assert.equal(config.maxMessageLength, 500);
    assert.deepEqual(
      { ...config.bot },
      { appId: 'id', appPassword: 'pw', appType: 'SingleTenant', tenantId: 'tenant' },
    );
    assert.deepEqual(config.teamsTenants, ['11111111-2222-4333-8444-555555555555']);
  });

  describe('a bad value names the variable', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['PORT', { PORT: 'abc' }],
      ['PORT', { PORT: '70000' }],
      ['PORT', { PORT: '80.5' }],
      ['REDIS_URL', { REDIS_URL: 'http://x' }],
      ['REDIS_URL', { REDIS_URL: 'pas une url' }],
      ['SMTP_URL', { SMTP_URL: 'http://127.0.0.1:25' }],
      ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'assistant.ac-paris.fr' }],
      ['CLOCK_NOW', { CLOCK_NOW: 'hier' }],
      ['CLOCK_NOW', { CLOCK_NOW: '2014-11-20T09:00:00' }],
      ['ACADEMIE_DOMAINS', { ACADEMIE_DOMAINS: 'ac-paris.fr, ac_paris' }],
      ['ACADEMIE_DOMAINS', { ACADEMIE_DOMAINS: 'ac-paris' }],
      ['CONFIRMATION_LINK_TTL_HOURS', { CONFIRMATION_LINK_TTL_HOURS: '0' }],
      ['MAX_MESSAGE_LENGTH', { MAX_MESSAGE_LENGTH: 'beaucoup' }],
      ['MAX_MESSAGE_LENGTH', { MAX_MESSAGE_LENGTH: '32001' }],
      ['SECRET_KEY', { SECRET_KEY: 'court' }],
      ['MicrosoftAppType', { MicrosoftAppType: 'Personne' }],
      ['NODE_ENV', { NODE_ENV: 'prod' }],
      ['METRICS_TOKEN', { METRICS_TOKEN: 'trop-court' }],
      ['METRICS_TOKEN', { METRICS_TOKEN: `${'x'.repeat(32)} avec espace` }],
      ['TURN_TRACE_MS', { TURN_TRACE_MS: '-1' }],
      ['TURN_TRACE_MS', { TURN_TRACE_MS: 'lent' }],
    ];
    for (const [variable, env] of cases) {
      it(`${variable}=${Object.values(env)[0]}`, () => {
        const error = configError({ ...DEV, ...env });
        assert.equal(linesNaming(error, variable).length, 1, error.message);
        assert.match(error.message, /^Configuration invalide/);
      });
    }

    it('HELPDESK_USERS: an agent’s académies as a third field; a bad one named, in French', () => {
      const phc = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';
      const config = loadConfig({ ...DEV, HELPDESK_USERS: `paris:${phc}:ac-paris.fr national:${phc}` });
      assert.deepEqual(config.helpdeskUsers, [
        { login: 'paris', phc, domains: ['ac-paris.fr'] },
        { login: 'national', phc },
      ]);
      const error = configError({ ...DEV, HELPDESK_USERS: `paris:${phc}:ac-paris` });
      assert.deepEqual(linesNaming(error, 'HELPDESK_USERS'), [
        'HELPDESK_USERS : entrée n° 1 (paris) : « ac-paris » n’est pas un domaine de messagerie (par exemple ac-paris.fr ; les domaines se séparent par des virgules, sans espace)',
      ]);
    });

    it('names each bad variable when there are several', () => {
      const error = configError({ ...DEV, PORT: 'abc', CLOCK_NOW: 'hier', REDIS_URL: 'http://x' });
      for (const v of ['PORT', 'CLOCK_NOW', 'REDIS_URL']) assert.equal(linesNaming(error, v).length, 1, v);
    });

    it('does not echo a secret from a bad value', () => {
      const error = configError({
        ...DEV,
        REDIS_URL: 'http://admin:Tr3sS3cret@redis.internal:6379',
        SECRET_KEY: 'court-Tr3s',
      });
      assert.doesNotMatch(error.message, /Tr3s/);
    });

    it('never turns an empty PORT into port 0 (a random port)', () => {
      let port: number | undefined;
      try {
        port = loadConfig({ ...DEV, PORT: '' }).port;
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        assert.equal(linesNaming(error, 'PORT').length, 1);
        return;
      }
      assert.equal(port, 3978, 'an empty PORT should mean the default, or be refused');
    });
  });

  it('reads the operators’ settings: no /metrics nor turn trace unless set', () => {
    const quiet = loadConfig(DEV);
    assert.equal(quiet.metricsToken, undefined);
    assert.equal(quiet.turnTraceMs, undefined);
    const token = 'k'.repeat(40);
    const set = loadConfig({ ...DEV, METRICS_TOKEN: token, TURN_TRACE_MS: '25' });
    assert.equal(set.metricsToken, token);
    assert.equal(set.turnTraceMs, 25);
    assert.equal(loadConfig({ ...DEV, TURN_TRACE_MS: '0' }).turnTraceMs, undefined);
  });

  it('takes CLOCK_NOW as any ISO 8601 instant with an offset, minutes included', () => {
    assert.equal(
      loadConfig({ ...DEV, CLOCK_NOW: '2014-12-03T20:00:00+01:00' }).clockNow?.toISOString(),
      '2014-12-03T19:00:00.000Z',
    );
    assert.equal(
      loadConfig({ ...DEV, CLOCK_NOW: '2014-12-03T19:00:00Z' }).clockNow?.toISOString(),
      '2014-12-03T19:00:00.000Z',
    );
    // ISO 8601 allows hh:mm; the brief itself writes CLOCK_NOW=2014-12-03T20:00+01:00.
    assert.equal(
      loadConfig({ ...DEV, CLOCK_NOW: '2014-12-03T20:00+01:00' }).clockNow?.toISOString(),
      '2014-12-03T19:00:00.000Z',
    );
  });

  describe('NODE_ENV=production', () => {
    it('starts with everything required', () => {
      const config = loadConfig(PRODUCTION);
      assert.equal(config.production, true);
      assert.equal(config.clockNow, undefined);
    });

    for (const variable of [
      'MicrosoftAppId',
      'REDIS_URL',
      'SMTP_URL',
      'PUBLIC_BASE_URL',
      'SECRET_KEY',
      // What the privacy notice and the accessibility statement must name: no placeholder in production.
      'DATA_CONTROLLER',
      'DPO_CONTACT',
      'RIGHTS_CONTACT',
      'ACCESSIBILITY_CONTACT',
    ]) {
      it(`refuses to start without ${variable}`, () => {
        const { [variable]: _removed, ...env } = PRODUCTION;
        assert.equal(linesNaming(configError(env), variable).length, 1);
      });
      it(`refuses a blank ${variable}`, () => {
        assert.equal(linesNaming(configError({ ...PRODUCTION, [variable]: '  ' }), variable).length, 1);
      });
    }

    it('refuses a contact that is neither an e-mail address nor an https page', () => {
      for (const bad of ['dpd', 'http://www.ac-paris.fr/dpd', 'javascript:alert(1)'])
        assert.equal(linesNaming(configError({ ...PRODUCTION, DPO_CONTACT: bad }), 'DPO_CONTACT').length, 1);
    });

    it('states an accessibility level only with its audit (RGAA: never audited is « non conforme »)', () => {
      assert.equal(loadConfig(PRODUCTION).legal.accessibility.status, 'non-conforme');
      const partial = { ...PRODUCTION, ACCESSIBILITY_STATUS: 'partiellement-conforme' };
      assert.equal(linesNaming(configError(partial), 'ACCESSIBILITY_AUDIT').length, 1);
      const audited = loadConfig({
        ...partial,
        ACCESSIBILITY_AUDIT: 'audit du 2 mars 2026, 82 % des critères',
      });
      assert.equal(audited.legal.accessibility.status, 'partiellement-conforme');
      assert.equal(
        linesNaming(configError({ ...PRODUCTION, ACCESSIBILITY_STATUS: 'oui' }), 'ACCESSIBILITY_STATUS')
          .length,
        1,
      );
    });

    it('refuses MicrosoftAppId without MicrosoftAppPassword', () => {
      const { MicrosoftAppPassword: _removed, ...env } = PRODUCTION;
      assert.equal(linesNaming(configError(env), 'MicrosoftAppPassword').length, 1);
    });

    it('refuses both embedded fallbacks at once, naming each', () => {
      const { REDIS_URL: _r, SMTP_URL: _s, ...env } = PRODUCTION;
      const error = configError(env);
      assert.equal(linesNaming(error, 'REDIS_URL').length, 1);
      assert.equal(linesNaming(error, 'SMTP_URL').length, 1);
    });

    it('refuses the offline Direct Line', () => {
      const error = configError({ ...PRODUCTION, LOCAL_DIRECTLINE: '1' });
      assert.ok(linesNaming(error, 'LOCAL_DIRECTLINE').length >= 1, error.message);
    });

    it('refuses an http:// PUBLIC_BASE_URL (mailed links and console credentials in clear)', () => {
      for (const url of [
        'http://assistant.ac-paris.fr',
        'HTTP://assistant.ac-paris.fr/',
        ' http://10.0.0.5:3978 ',
      ]) {
        const error = configError({ ...PRODUCTION, PUBLIC_BASE_URL: url });
        assert.equal(linesNaming(error, 'PUBLIC_BASE_URL').length, 1, url);
        assert.match(error.message, /PUBLIC_BASE_URL : https:\/\/ obligatoire en production/);
        assert.equal(error.issues.length, 1, error.message);
      }
    });

    it('accepts http:// PUBLIC_BASE_URL outside production (localhost in development)', () => {
      for (const NODE_ENV of ['development', 'test'])
        assert.equal(
          loadConfig({ NODE_ENV, PUBLIC_BASE_URL: 'http://localhost:3978' }).publicBaseUrl,
          'http://localhost:3978',
        );
    });

    it('refuses CLOCK_NOW', () => {
      const error = configError({ ...PRODUCTION, CLOCK_NOW: '2014-11-20T09:00:00+01:00' });
      assert.equal(linesNaming(error, 'CLOCK_NOW').length, 1);
      assert.equal(error.issues.length, 1, error.message);
    });
  });

  describe('NODE_ENV unset: Bot Framework credentials required', () => {
    /** Every line that tells the operator what to do: both variables, and the development switch. */
    function assertExplains(error: ConfigError): void {
      const lines = linesNaming(error, 'MicrosoftAppId');
      assert.equal(lines.length, 1, error.message);
      assert.match(lines[0] ?? '', /MicrosoftAppPassword/);
      assert.match(lines[0] ?? '', /NODE_ENV=development/);
      assert.match(lines[0] ?? '', /non authentifiées/);
    }

    it('refuses to start without MicrosoftAppId, naming the variables and NODE_ENV=development', () => {
      assertExplains(configError({}));
      assertExplains(configError({ NODE_ENV: '' }));
      assertExplains(configError({ NODE_ENV: '  ', MicrosoftAppId: ' ' }));
    });

    it('starts with credentials, and says NODE_ENV was not set (not production, not development)', () => {
      const config = loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' });
      assert.equal(config.env, undefined);
      assert.equal(config.production, false);
      assert.equal(config.bot.appId, 'id');
    });

    it('refuses MicrosoftAppId without MicrosoftAppPassword (an unusable adapter), except with a managed identity', () => {
      const error = configError({ MicrosoftAppId: 'id' });
      assert.equal(linesNaming(error, 'MicrosoftAppPassword').length, 1, error.message);
      assert.equal(error.issues.length, 1, error.message);
      assert.equal(
        loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI' }).bot.appType,
        'UserAssignedMSI',
      );
    });

    it('takes unauthenticated activities only when NODE_ENV says development or test', () => {
      for (const NODE_ENV of ['development', 'test']) {
        const config = loadConfig({ NODE_ENV });
        assert.equal(config.env, NODE_ENV);
        assert.equal(config.bot.appId, undefined);
      }
      assert.equal(linesNaming(configError({ NODE_ENV: 'production' }), 'MicrosoftAppId').length, 1);
    });
  });

  describe('TEAMS_TENANTS', () => {
    const PARIS = '11111111-2222-4333-8444-555555555555';
    const LYON = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

    it('is absent by default (any tenant, with a warning at start-up)', () => {
      assert.equal(loadConfig(DEV).teamsTenants, undefined);
      assert.equal(loadConfig({ ...DEV, TEAMS_TENANTS: '  ' }).teamsTenants, undefined);
    });

    it('reads GUIDs separated by commas or spaces, lower-cased as Teams sends them', () => {
      const config = loadConfig({ ...DEV, TEAMS_TENANTS: ` ${PARIS.toUpperCase()}, ${LYON}\n` });
      assert.deepEqual(config.teamsTenants, [PARIS, LYON]);
      assert.ok(Object.isFrozen(config.teamsTenants));
      assert.deepEqual(loadConfig({ ...PRODUCTION, TEAMS_TENANTS: PARIS }).teamsTenants, [PARIS]);
    });

    for (const bad of ['ac-paris.fr', `${PARIS},pas-un-guid`, PARIS.slice(0, -1), `{${PARIS}}`, ',']) {
      it(`refuses « ${bad} », naming the variable`, () => {
        const error = configError({ ...DEV, TEAMS_TENANTS: bad });
        assert.ok(linesNaming(error, 'TEAMS_TENANTS').length >= 1, error.message);
        assert.match(error.message, /TEAMS_TENANTS[.\d]* : (un identifiant de tenant|au moins)/);
      });
    }
  });

  it('reads the Web Chat settings: origins, Direct Line, proxy', () => {
    const config = loadConfig({
      ...DEV,
      LOCAL_DIRECTLINE: '1',
      WEBCHAT_ORIGINS: 'https://www.ac-paris.fr/, https://lycee.example.fr',
      DIRECTLINE_DOMAIN: 'https://europe.directline.botframework.com/v3/directline/',
      TRUST_PROXY: 'true',
    });
    assert.equal(config.webChat.localDirectLine, true);
    assert.deepEqual(config.webChat.allowedOrigins, ['https://www.ac-paris.fr', 'https://lycee.example.fr']);
    assert.equal(config.webChat.directLineDomain, 'https://europe.directline.botframework.com/v3/directline');
    assert.equal(config.webChat.trustProxy, true);
    assert.equal(loadConfig(DEV).webChat.localDirectLine, false);
    assert.equal(
      linesNaming(configError({ ...DEV, WEBCHAT_ORIGINS: 'pas-une-url' }), 'WEBCHAT_ORIGINS').length,
      1,
    );
  });

  it('refuses the offline Direct Line together with Bot Framework credentials', () => {
    const error = configError({
      ...DEV,
      LOCAL_DIRECTLINE: '1',
      MicrosoftAppId: 'x',
      MicrosoftAppPassword: 'y',
    });
    assert.equal(linesNaming(error, 'LOCAL_DIRECTLINE').length, 1);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ ...DEV, ACADEMIE_DOMAINS: 'ac-paris.fr ac-lyon.fr' });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.bot));
    assert.ok(Object.isFrozen(config.academieDomains));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (config.bot as { appId?: string }).appId = 'x';
    }, TypeError);
    assert.throws(() => (config.academieDomains as string[]).push('gmail.com'), TypeError);
    assert.equal(config.port, 3978);
  });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real entry point with exactly `env` (plus PATH/HOME). If it starts instead of exiting, it is
 * killed after `timeoutMs` and the test sees a signal rather than an exit code.
 */
function runEntryPoint(env: Record<string, string>, timeoutMs = 20_000, until?: RegExp): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stopping = false;
    const check = () => {
      if (stopping || !until?.test(stdout + stderr)) return;
      stopping = true;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('the entry point (src/index.ts) with a bad configuration', function () {
  this.timeout(60_000);

  it('exits non-zero and names the bad variable', async () => {
    const exit = await runEntryPoint({ NODE_ENV: 'development', PORT: 'abc' });
    assert.equal(exit.signal, null, `it did not exit by itself: ${exit.stdout}${exit.stderr}`);
    assert.notEqual(exit.code, 0);
    assert.match(exit.stderr, /PORT/);
    assert.match(exit.stderr, /Configuration invalide/);
  });

  it('exits non-zero on CLOCK_NOW=hier, naming it', async () => {
    const exit = await runEntryPoint({ NODE_ENV: 'development', CLOCK_NOW: 'hier' });
    assert.equal(exit.signal, null);
    assert.notEqual(exit.code, 0);
    assert.match(exit.stderr, /CLOCK_NOW/);
  });

  it('refuses to start in production without credentials, naming what is missing', async () => {
    const exit = await runEntryPoint({ NODE_ENV: 'production', PORT: '0' });
    assert.equal(exit.signal, null, `it did not exit by itself: ${exit.stdout}${exit.stderr}`);
    assert.notEqual(exit.code, 0);
    for (const v of ['MicrosoftAppId', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_BASE_URL', 'SECRET_KEY']) {
      assert.match(exit.stderr, new RegExp(v));
    }
  });

  it('refuses to start with no setting at all (NODE_ENV unset): credentials, or NODE_ENV=development', async () => {
    const exit = await runEntryPoint({ PORT: '0' });
    assert.equal(exit.signal, null, `it did not exit by itself: ${exit.stdout}${exit.stderr}`);
    assert.notEqual(exit.code, 0);
    assert.match(exit.stderr, /Configuration invalide/);
    for (const text of ['MicrosoftAppId', 'MicrosoftAppPassword', 'NODE_ENV=development'])
      assert.ok(exit.stderr.includes(text), `${text} in ${exit.stderr}`);
    assert.doesNotMatch(exit.stdout, /Assistant électeur prêt/);
  });

  it('(control) starts in the embedded mode with only NODE_ENV=development, and stops on SIGTERM', async () => {
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'electeur-outbox-'));
    try {
      const exit = await runEntryPoint(
        {
          NODE_ENV: 'development',
          PORT: '0',
          MAIL_OUTBOX_DIR: outbox,
          CLOCK_NOW: '2014-11-20T09:00:00+01:00',
        },
        20_000,
        /Assistant électeur prêt/,
      );
      assert.match(exit.stdout, /Assistant électeur prêt/, exit.stderr);
      assert.match(exit.stdout, /REDIS_URL absent/);
      assert.match(exit.stdout, /SMTP_URL absent/);
      assert.match(exit.stdout, /CLOCK_NOW/);
      assert.equal(exit.code, 0, 'a clean stop on SIGTERM');
    } finally {
      fs.rmSync(outbox, { recursive: true, force: true });
    }
  });
});
