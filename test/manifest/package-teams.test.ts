// Runs the real `npm run package:teams` command (npx tsx scripts/package-teams.ts) into temporary
// folders and inspects the zip it writes, as Teams would receive it.
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { renderColorIcon, renderOutlineIcon } from '../../scripts/make-icons';
import {
  COMMAND_DESCRIPTION_MAX,
  COMMAND_TITLE_MAX,
  iconProblems,
  MANIFEST_DIR,
  PACKAGE_NAME,
  ROOT,
  validateAgainstBundledSchema,
} from '../../scripts/teams-app';

const APP_ID = '6f1c3a52-9d4e-4b8a-a0c2-7e5d1f93b4a1';
const NBSP = '\u00a0';

interface Run extends Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'> {
  out: string;
}

function packageTeams(env: Record<string, string | undefined>, args: string[] = []): Run {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MicrosoftAppId: undefined,
    PUBLIC_BASE_URL: undefined,
  };
  for (const [k, v] of Object.entries(env)) childEnv[k] = v;
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const result = spawnSync('npx', ['tsx', 'scripts/package-teams.ts', '--out', out, ...args], {
    cwd: ROOT,
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, out };
}

/** A copy of manifest/ whose manifest.json (or icons) a test may break. */
function sourceCopy(edit: (dir: string, manifest: Record<string, unknown>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-source-'));
  for (const f of ['manifest.json', 'color.png', 'outline.png']) {
    fs.copyFileSync(path.join(MANIFEST_DIR, f), path.join(dir, f));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  edit(dir, manifest);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function strings(node: unknown, at = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[at, node]];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

interface Manifest {
  id: string;
  version: string;
  localizationInfo: { defaultLanguageTag: string };
  name: { short: string };
  description: { short: string; full: string };
  developer: { name: string };
  validDomains: string[];
  defaultInstallScope: string;
  permissions: string[];
  bots: Array<{
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
}

describe('npm run package:teams', function () {
  this.timeout(120_000);
  const temps: string[] = [];
  after(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('with a valid app id', () => {
    let run: Run;
    let entries: Record<string, Uint8Array>;
    let text: string;
    let manifest: Manifest;

    before(() => {
      run = packageTeams({
        MicrosoftAppId: APP_ID,
        PUBLIC_BASE_URL: 'https://assistant-electeur.ac-paris.fr/',
      });
      temps.push(run.out);
      assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
      entries = unzipSync(fs.readFileSync(path.join(run.out, PACKAGE_NAME)));
      text = Buffer.from(entries['manifest.json'] ?? []).toString('utf8');
      manifest = JSON.parse(text);
    });

    it('writes manifest.json, color.png and outline.png at the root of the zip, nothing else', () => {
      assert.deepEqual(Object.keys(entries).sort(), ['color.png', 'manifest.json', 'outline.png']);
      assert.match(run.stdout, /Paquet Teams écrit/);
      assert.match(run.stdout, /validé hors ligne en \d+ ms/);
    });

    it('substitutes the bot id everywhere and leaves no placeholder', () => {
      assert.equal(manifest.id, APP_ID);
      assert.equal(manifest.bots[0]?.botId, APP_ID);
      assert.equal(text.split(APP_ID).length - 1, 2);
      assert.doesNotMatch(text, /\{\{|\}\}/);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.equal(manifest.version, pkg.version);
    });

    it('passes the schema bundled in @microsoft/app-manifest (v1.24 or later)', async () => {
      const report = await validateAgainstBundledSchema(manifest);
      assert.deepEqual(report.errors, []);
      const [major = 0, minor = 0] = report.version.split('.').map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 24), report.version);
    });

    it('is a French, personal-scope bot with the main commands of the menu', () => {
      assert.equal(manifest.localizationInfo.defaultLanguageTag, 'fr-FR');
      assert.equal(manifest.name.short, 'Assistant électeur');
      assert.equal(manifest.developer.name, 'Académie de Paris');
      assert.ok([...manifest.description.short].length <= 80);
      assert.ok([...manifest.description.full].length <= 4000);
      assert.equal(manifest.defaultInstallScope, 'personal');
      assert.deepEqual(manifest.permissions, ['identity']);
      assert.equal(manifest.bots.length, 1);
      const bot = manifest.bots[0];
      assert.ok(bot);
      assert.deepEqual(bot.scopes, ['personal']);
      assert.equal(bot.supportsFiles, false);
      assert.equal(bot.isNotificationOnly, false);
      assert.equal(bot.commandLists.length, 1);
      assert.deepEqual(bot.commandLists[0]?.scopes, ['personal']);
      // The titles are what Teams sends when a command is picked: the labels the bot's menu recognises.
      const menu = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'fr', 'bot.json'), 'utf8')).menu;
      const commands = bot.commandLists[0]?.commands ?? [];
      assert.deepEqual(
        commands.map((c) => c.title),
        [menu.create, menu.dates, menu.mailNotReceived, menu.help],
      );
      for (const c of commands) {
        assert.ok([...c.title].length <= COMMAND_TITLE_MAX, c.title);
        assert.ok(
          c.description.length > 0 && [...c.description].length <= COMMAND_DESCRIPTION_MAX,
          c.description,
        );
      }
    });

    it('follows the French typography of the project in every text', () => {
      const all = strings(manifest);
      const prose = all.filter(([, v]) => /\s/.test(v) && !/^(https?:|#|\{)/.test(v));
      assert.ok(prose.length >= 10, `${prose.length} texts`);
      for (const [at, value] of prose) {
        assert.doesNotMatch(value, / [?!:;»]|« /, `${at}: ordinary space where a non-breaking one is due`);
        assert.doesNotMatch(
          value,
          /[^\s\u00a0\u202f][?!;]|[^\s\u00a0\u202f]:(\s|$)/,
          `${at}: no space before`,
        );
      }
      for (const [at, value] of all) assert.doesNotMatch(value, /'/, `${at}: straight apostrophe`);
      assert.ok(manifest.description.full.includes(`${NBSP}:`));
    });

    it('takes validDomains from the host of PUBLIC_BASE_URL', () => {
      assert.deepEqual(manifest.validDomains, ['assistant-electeur.ac-paris.fr']);
    });

    it('points the privacy notice at the bot’s own page, which says what this deployment keeps', () => {
      assert.equal(
        (manifest.developer as Record<string, unknown>).privacyUrl,
        'https://assistant-electeur.ac-paris.fr/donnees-personnelles',
      );
    });

    it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline', () => {
      const color = PNG.sync.read(Buffer.from(entries['color.png'] ?? []));
      const outline = PNG.sync.read(Buffer.from(entries['outline.png'] ?? []));
      assert.deepEqual([color.width, color.height], [192, 192]);
      assert.deepEqual([outline.width, outline.height], [32, 32]);
      let white = 0;
      for (let i = 0; i < outline.data.length; i += 4) {
        const px = [...outline.data.subarray(i, i + 4)];
        const clear = px[3] === 0;
        const opaqueWhite = px.every((v) => v === 255);
        assert.ok(clear || opaqueWhite, `outline pixel ${i / 4} is ${px.join(',')}`);
        if (opaqueWhite) white++;
      }
      assert.ok(white > 100 && white < 32 * 32 - 100, `${white} white pixels`);
      // The colour icon is opaque, on the académie blue, with a white symbol.
      const at = (x: number, y: number) => [...color.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
      assert.deepEqual(at(4, 4), [0, 0, 0x91, 255]);
      assert.deepEqual(at(96, 40), [255, 255, 255, 255]);
      for (let i = 3; i < color.data.length; i += 4) assert.equal(color.data[i], 255);
    });

    it('gives the same zip, byte for byte, when run again', () => {
      const again = packageTeams({
        MicrosoftAppId: APP_ID,
        PUBLIC_BASE_URL: 'https://assistant-electeur.ac-paris.fr',
      });
      temps.push(again.out);
      assert.equal(again.status, 0, again.stderr);
      assert.ok(
        fs
          .readFileSync(path.join(again.out, PACKAGE_NAME))
          .equals(fs.readFileSync(path.join(run.out, PACKAGE_NAME))),
      );
    });
  });

  it('refuses a missing app id with a French message and writes nothing', () => {
    const run = packageTeams({});
    temps.push(run.out);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /Paquet Teams non créé/);
    assert.match(run.stderr, /MicrosoftAppId est absent\u00a0: indiquez l’identifiant d’application/);
    assert.equal(fs.existsSync(path.join(run.out, PACKAGE_NAME)), false);
  });

  it('refuses a malformed app id, naming it', () => {
    const run = packageTeams({ MicrosoftAppId: '6f1c3a52-9d4e-4b8a-a0c2-7e5d1f93b4a' });
    temps.push(run.out);
    assert.notEqual(run.status, 0);
    assert.match(
      run.stderr,
      /MicrosoftAppId «\u00a06f1c3a52-9d4e-4b8a-a0c2-7e5d1f93b4a\u00a0» n’est pas un GUID valide/,
    );
    assert.equal(fs.existsSync(path.join(run.out, PACKAGE_NAME)), false);
  });

  it('lists every schema error of a broken manifest and removes a previous package', () => {
    const source = sourceCopy((_, m) => {
      m.accentColor = 'bleu académie';
      const [bot] = m.bots as Array<Record<string, unknown>>;
      if (bot) bot.scopes = ['personnel'];
      m.couleur = '#000091';
    });
    temps.push(source);
    const good = packageTeams({ MicrosoftAppId: APP_ID });
    temps.push(good.out);
    assert.equal(good.status, 0, good.stderr);
    const run = packageTeams({ MicrosoftAppId: APP_ID }, ['--source', source]);
    temps.push(run.out);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /Paquet Teams non créé \(\d+ problèmes\)/);
    assert.match(run.stderr, /schéma v1\.\d+\u00a0: \/accentColor must match pattern/);
    assert.match(
      run.stderr,
      /schéma v1\.\d+\u00a0: \/bots\/0\/scopes\/0 must be equal to one of the allowed values/,
    );
    assert.match(run.stderr, /must NOT have additional properties.*couleur/);
    assert.equal(fs.existsSync(path.join(run.out, PACKAGE_NAME)), false);

    // Into the folder of an earlier good package: the stale package goes.
    const over = spawnSync('npx', ['tsx', 'scripts/package-teams.ts', '--source', source], {
      cwd: ROOT,
      env: { ...process.env, MicrosoftAppId: APP_ID, TEAMS_PACKAGE_OUT_DIR: good.out },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.notEqual(over.status, 0);
    assert.match(over.stderr, /Ancien paquet supprimé/);
    assert.equal(fs.existsSync(path.join(good.out, PACKAGE_NAME)), false);
  });

  it('refuses icons of the wrong size or colours', () => {
    const source = sourceCopy((dir) => {
      const color = new PNG({ width: 96, height: 96 });
      color.data.fill(200);
      fs.writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(color));
      const outline = renderOutlineIcon();
      outline.data.set([0, 0, 145, 255], 0); // one blue pixel
      outline.data.set([255, 255, 255, 128], 4 * 33); // one half-transparent pixel
      fs.writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(outline));
    });
    temps.push(source);
    const run = packageTeams({ MicrosoftAppId: APP_ID }, ['--source', source]);
    temps.push(run.out);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /color\.png mesure 96×96 pixels\u00a0; Teams attend 192×192/);
    assert.match(
      run.stderr,
      /outline\.png doit être blanc sur fond transparent\u00a0: 2 pixel\(s\).*\(0, 0\), \(1, 1\)/,
    );
    assert.equal(fs.existsSync(path.join(run.out, PACKAGE_NAME)), false);
  });
});

describe('Teams icons', () => {
  it('are the ones scripts/make-icons.ts draws (regenerable)', () => {
    for (const [file, png] of [
      ['color.png', renderColorIcon()],
      ['outline.png', renderOutlineIcon()],
    ] as const) {
      const committed = PNG.sync.read(fs.readFileSync(path.join(MANIFEST_DIR, file)));
      assert.deepEqual([committed.width, committed.height], [png.width, png.height], file);
      assert.ok(committed.data.equals(png.data), `${file} differs from scripts/make-icons.ts: run it again`);
      assert.deepEqual(
        iconProblems(file === 'color.png' ? 'color' : 'outline', file, PNG.sync.write(png)),
        [],
      );
    }
  });
});
