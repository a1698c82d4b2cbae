import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { createArgon2Hasher } from '../src/infra/argon2-hasher';
import { DEMO_NOW } from './support/bot-harness';
import { startFakeConnector } from './support/fake-connector';
import { scriptsOf } from './support/html-page';
import { TEST_REDIS_URL, type TestRedis, testRedis } from './support/redis';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink';

const ROOT = path.resolve(__dirname, '..');
const AGENT = 'agent';
const AGENT_PASSWORD = 'Console-Assistance-2014';

/** Every file under `dir` (relative to ROOT), dotfiles aside, as copy-assets sees the tree. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Stylesheets, icons and scripts a page links to. */
function assetsOf(html: string): string[] {
  const links = [...html.matchAll(/<link\b[^>]*\shref="([^"]+)"/g)].map((m) => m[1] ?? '');
  const scripts = scriptsOf(html).flatMap((s) => (s.src ? [s.src] : []));
  return [...links, ...scripts].map((url) => url.replace(/&amp;/g, '&'));
}

const CONTENT_TYPES: Record<string, RegExp> = {
  '.css': /^text\/css/,
  '.js': /^(text|application)\/javascript/,
  '.svg': /^image\/svg\+xml/,
};

/**
 * What production runs: `npm run build` into a directory of its own (here a temporary one, with
 * node_modules beside it as `npm ci` leaves it), then `npm start`'s command from that directory, far from
 * the sources. Every page is fetched with what it links to, and the bot answers a turn.
 */
describe('the compiled build (npm run build, then npm start)', function () {
  this.timeout(120_000);
  let app: string;
  let child: ChildProcess | undefined;
  let output = '';
  let url = '';
  let redis: TestRedis;
  let smtp: SmtpSink;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let authorization = '';

  before(async () => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'electeur-build-'));
    const built = spawnSync(process.execPath, ['scripts/build.mjs', path.join(app, 'dist')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
    });
    assert.equal(built.status, 0, `${built.stdout}${built.stderr}`);
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(app, 'node_modules'), 'dir');

    redis = await testRedis();
    smtp = await startSmtpSink();
    connector = await startFakeConnector();
    const phc = await createArgon2Hasher().hash(AGENT_PASSWORD);
    authorization = `Basic ${Buffer.from(`${AGENT}:${AGENT_PASSWORD}`).toString('base64')}`;

    const start = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts.start;
    assert.equal(start, 'node dist/src/index.js', 'npm start runs the compiled build');
    child = spawn(process.execPath, ['dist/src/index.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        NODE_ENV: 'test',
        PORT: '0',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: redis.prefix,
        SMTP_URL: smtp.url,
        CLOCK_NOW: DEMO_NOW,
        SECRET_KEY: randomBytes(32).toString('hex'),
        LOCAL_DIRECTLINE: '1',
        PASSWORD_ENTRY: 'link',
        HELPDESK_USERS: `${AGENT}:${phc}`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready after 60 s:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /\{[^\n]*"msg":"Assistant électeur prêt"[^\n]*\}/.exec(output);
        if (!ready) return;
        clearTimeout(timer);
        resolve((JSON.parse(ready[0]) as { url: string }).url);
      };
      child?.stdout?.on('data', read);
      child?.stderr?.on('data', read);
      child?.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before being ready:\n${output}`));
      });
    });
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connector?.close();
    await smtp?.close();
    await redis?.cleanup();
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  async function get(pathname: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}${pathname}`, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  }

  /** The page, then every stylesheet, icon and script it links to, each served with its type. */
  async function pageWithAssets(pathname: string, status: number, headers: Record<string, string> = {}) {
    const page = await get(pathname, headers);
    assert.equal(page.status, status, `${pathname}: ${page.body.slice(0, 300)}`);
    assert.match(page.type, /^text\/html; charset=utf-8/, pathname);
    assert.match(page.body, /<html lang="fr">/, pathname);
    const assets = assetsOf(page.body);
    assert.ok(
      assets.some((a) => /\.css(\?|$)/.test(a)),
      `${pathname} links a stylesheet: ${assets.join(', ')}`,
    );
    for (const asset of assets) {
      const served = await get(asset, headers);
      assert.equal(served.status, 200, `${pathname} → ${asset}`);
      assert.ok(served.body.length > 0, `${asset} is empty`);
      const expected = CONTENT_TYPES[path.extname(asset.replace(/\?.*/, ''))];
      if (expected) assert.match(served.type, expected, asset);
    }
    return page;
  }

  it('holds every file the code reads: each non-TypeScript file of src/ and dialogs/, locales/, calendars/, academies/', () => {
    const expected = [
      ...['src', 'dialogs'].flatMap(filesUnder).filter((f) => !f.endsWith('.ts')),
      ...['locales', 'calendars', 'academies'].flatMap(filesUnder),
    ];
    assert.ok(expected.some((f) => f.endsWith('helpdesk.css')));
    assert.ok(expected.some((f) => f.endsWith('.lua')));
    const missing = expected.filter((f) => !fs.existsSync(path.join(app, 'dist', f)));
    assert.deepEqual(missing, []);
    assert.ok(fs.existsSync(path.join(app, 'dist', 'src', 'index.js')));
    const ignored = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
    assert.ok(
      ignored.some((line) => /^\/?dist\/?$/.test(line.trim())),
      'npm run build writes dist/: never committed',
    );
  });

  it('answers /healthz with Redis reachable', async () => {
    const health = await get('/healthz');
    assert.equal(health.status, 200, health.body);
  });

  it('serves the Web Chat page (and its compact mode) with its styles, scripts, icon and Web Chat bundle', async () => {
    const page = await pageWithAssets('/', 200);
    assert.ok(
      assetsOf(page.body).some((a) => a.startsWith('/webchat/webchat.js')),
      'the Web Chat bundle',
    );
    await pageWithAssets('/?embed=1', 200);
  });

  it('serves /widget.js, /static/page.css and a Direct Line token', async () => {
    const widget = await get('/widget.js');
    assert.equal(widget.status, 200);
    assert.match(widget.type, /javascript/);
    assert.match(widget.body, /Assistant électeur/);
    const css = await get('/static/page.css');
    assert.equal(css.status, 200);
    assert.match(css.type, /^text\/css/);
    const token = await fetch(`${url}/api/directline/token`, { method: 'POST' });
    assert.equal(token.status, 200, await token.clone().text());
    assert.ok(((await token.json()) as { token?: string }).token);
  });

  it('serves the helpdesk console with its stylesheet', async () => {
    const console = await pageWithAssets('/helpdesk', 200, { Authorization: authorization });
    assert.ok(assetsOf(console.body).some((a) => a.startsWith('/helpdesk/static/helpdesk.css')));
    assert.equal((await get('/helpdesk')).status, 401, 'not without credentials');
  });

  it('serves the confirmation and password pages (unknown links) in French with their styles', async () => {
    const confirmation = await pageWithAssets('/confirmation?jeton=x', 404);
    assert.match(confirmation.body, /lien/);
    await pageWithAssets(`/mot-de-passe/${randomBytes(32).toString('base64url')}`, 404);
  });

  it('answers a turn over /api/messages: the French welcome, then a date from the calendar', async () => {
    const conversation = { id: `build-${randomUUID()}` };
    const user = { id: `user-${randomUUID()}`, name: 'Jeanne Martin' };
    const bot = { id: 'assistant-electeur', name: 'Assistant électeur' };
    const send = async (activity: Record<string, unknown>) => {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          id: randomUUID(),
          channelId: 'webchat',
          serviceUrl: connector.serviceUrl,
          conversation,
          from: user,
          recipient: bot,
          deliveryMode: 'expectReplies',
          locale: 'fr-FR',
          ...activity,
        }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { activities?: Array<{ text?: string }> };
      return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
    };
    assert.match(
      await send({ type: 'conversationUpdate', membersAdded: [bot, user] }),
      /Bonjour, je suis l’Assistant électeur/,
    );
    assert.match(await send({ type: 'message', text: 'Quand se termine le vote ?' }), /4 décembre 2014/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.doesNotMatch(output, /"level":(50|60)/, 'no error logged');
  });
});
