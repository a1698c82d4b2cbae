// npm run package:teams — builds the Microsoft Teams app package of the bot.
//
//   MicrosoftAppId=<GUID of the Azure Bot> [PUBLIC_BASE_URL=https://…] npm run package:teams [-- options]
//     --out DIR      where to write app-package.zip (default manifest/build; or TEAMS_PACKAGE_OUT_DIR)
//     --source DIR   folder holding manifest.json and the icons it names (default manifest)
//
// Reads MicrosoftAppId and PUBLIC_BASE_URL through the project's config loader (only those two: packaging
// needs neither Redis nor SMTP), substitutes the placeholders of manifest.json (app id, version from
// package.json), puts the public host in validDomains, validates the result offline against the schema
// bundled in @microsoft/app-manifest, checks the Teams rules and the icons, then writes a zip with
// manifest.json, color.png and outline.png at its root. Any problem: every one is listed, nothing is
// written (a previous package is removed, so that a stale one cannot be uploaded), exit code 1.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { ConfigError, loadConfig } from '../src/config';
import {
  checkAppId,
  iconProblems,
  MANIFEST_DIR,
  PACKAGE_NAME,
  PackagingError,
  PLACEHOLDERS,
  ROOT,
  substitute,
  teamsRuleProblems,
  validateAgainstBundledSchema,
} from './teams-app';

/** Fixed entry dates: the same inputs give the same zip, byte for byte. */
const ZIP_MTIME = new Date('2014-11-20T09:00:00Z');
const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

interface Options {
  source: string;
  out: string;
}

function options(argv: string[]): Options {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, source: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    return {
      source: path.resolve(values.source ?? MANIFEST_DIR),
      out: path.resolve(values.out ?? process.env.TEAMS_PACKAGE_OUT_DIR ?? path.join(MANIFEST_DIR, 'build')),
    };
  } catch (error) {
    throw new PackagingError([
      `Option non reconnue (${(error as Error).message})\u00a0; options possibles\u00a0: --out DOSSIER, --source DOSSIER.`,
    ]);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new PackagingError([`Fichier introuvable\u00a0: ${file}`]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PackagingError([`${file} n’est pas du JSON valide (${(error as Error).message}).`]);
  }
}

/** The two settings packaging needs, validated by the app's own config loader. */
function settings(): { appId: string; publicHost: string | undefined; publicBaseUrl: string | undefined } {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      // Packaging runs no bot: only these two values are checked, not the rules for serving traffic.
      NODE_ENV: 'development',
      MicrosoftAppId: process.env.MicrosoftAppId,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new PackagingError(error.issues);
    throw error;
  }
  const appId = checkAppId(config.bot.appId);
  const host = config.publicBaseUrl ? new URL(config.publicBaseUrl).hostname : undefined;
  const publicHost = host && !LOOPBACK.test(host) ? host : undefined;
  return { appId, publicHost, publicBaseUrl: publicHost ? config.publicBaseUrl : undefined };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const target = path.join(opts.out, PACKAGE_NAME);
  try {
    await build(opts, target);
  } catch (error) {
    if (fs.existsSync(target)) {
      fs.rmSync(target);
      console.error(`Ancien paquet supprimé\u00a0: ${path.relative(process.cwd(), target)}`);
    }
    throw error;
  }
}

async function build(opts: Options, target: string): Promise<void> {
  const { appId, publicHost, publicBaseUrl } = settings();
  const version = (readJson(path.join(ROOT, 'package.json')) as { version: string }).version;
  const manifest = substitute(readJson(path.join(opts.source, 'manifest.json')), {
    [PLACEHOLDERS.appId]: appId,
    [PLACEHOLDERS.version]: version,
  }) as Record<string, unknown> & { icons?: { color?: unknown; outline?: unknown } };
  manifest.validDomains = publicHost ? [publicHost] : [];
  // The privacy notice Teams shows is the bot's own page, which says what this deployment keeps.
  const developer = manifest.developer as Record<string, unknown> | undefined;
  if (publicBaseUrl && developer) developer.privacyUrl = `${publicBaseUrl}/donnees-personnelles`;

  const schema = await validateAgainstBundledSchema(manifest);
  const problems = schema.errors.map((e) => `schéma v${schema.version}\u00a0: ${e}`);
  problems.push(...teamsRuleProblems(manifest));

  const files: Record<string, Uint8Array> = {};
  for (const kind of ['color', 'outline'] as const) {
    const name = manifest.icons?.[kind];
    if (typeof name !== 'string') continue; // reported by the schema
    const file = path.join(opts.source, name);
    if (!fs.existsSync(file)) {
      problems.push(`Icône introuvable\u00a0: ${file}`);
      continue;
    }
    const bytes = fs.readFileSync(file);
    problems.push(...iconProblems(kind, name, bytes));
    files[name] = bytes;
  }
  if (problems.length > 0) throw new PackagingError(problems);

  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  const zip = zipSync(
    {
      'manifest.json': [Buffer.from(json, 'utf8'), { level: 9 }],
      ...Object.fromEntries(Object.entries(files).map(([n, b]) => [n, [b, { level: 0 }] as const])),
    },
    { mtime: ZIP_MTIME },
  );
  fs.mkdirSync(opts.out, { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(partial, zip);
  fs.renameSync(partial, target);

  console.log(`Paquet Teams écrit\u00a0: ${path.relative(process.cwd(), target) || target}`);
  console.log(`  ${zip.length} octets\u00a0: manifest.json, ${Object.keys(files).join(', ')}`);
  console.log(`  application ${appId}, version ${version}, manifeste v${schema.version}`);
  console.log(`  schéma embarqué (@microsoft/app-manifest) validé hors ligne en ${Math.round(schema.ms)} ms`);
  console.log(`  validDomains\u00a0: ${publicHost ?? '(aucun\u00a0: PUBLIC_BASE_URL absent ou local)'}`);
}

main().catch((error: unknown) => {
  if (error instanceof PackagingError) {
    console.error(
      `Paquet Teams non créé (${error.problems.length} problème${error.problems.length > 1 ? 's' : ''})\u00a0:`,
    );
    for (const p of error.problems) console.error(`  - ${p}`);
  } else {
    console.error('Paquet Teams non créé\u00a0: erreur inattendue.');
    console.error(error);
  }
  process.exitCode = 1;
});
