// What the Teams app package must satisfy, shared by `npm run package:teams` and its tests:
// the app id, the manifest schema bundled in @microsoft/app-manifest (offline), the Teams rules the
// schema does not check, and the icons. Every problem is a French sentence for the person packaging.
import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

export const ROOT = path.resolve(__dirname, '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest');
export const PACKAGE_NAME = 'app-package.zip';

/** Placeholders of manifest/manifest.json, replaced at packaging. */
export const PLACEHOLDERS = {
  appId: '{{MICROSOFT_APP_ID}}',
  version: '{{APP_VERSION}}',
} as const;

/** The oldest manifest version the project accepts (issue 4). */
export const MIN_MANIFEST_VERSION = [1, 24] as const;

export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Teams' command menu limits (stricter than the schema's 128/4000, which Teams does not display). */
export const COMMAND_TITLE_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 128;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?json-schemas\/teams\/v(\d+)\.(\d+)\/MicrosoftTeams\.schema\.json$/i;

export class PackagingError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PackagingError';
  }
}

/** The Azure Bot's Microsoft App ID, or a French explanation of what to set. */
export function checkAppId(value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new PackagingError([
      'MicrosoftAppId est absent\u00a0: indiquez l’identifiant d’application (un GUID) du bot Azure, ' +
        'par exemple MicrosoftAppId=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx npm run package:teams',
    ]);
  }
  const id = value.trim();
  if (!GUID.test(id)) {
    throw new PackagingError([
      `MicrosoftAppId «\u00a0${id}\u00a0» n’est pas un GUID valide\u00a0: attendu 32 chiffres hexadécimaux ` +
        'groupés 8-4-4-4-12 (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), tel qu’affiché dans la configuration du bot Azure.',
    ]);
  }
  if (id === NIL_GUID) {
    throw new PackagingError([
      'MicrosoftAppId vaut 00000000-0000-0000-0000-000000000000\u00a0: indiquez l’identifiant réel du bot Azure.',
    ]);
  }
  return id;
}

/** Replaces `{{NAME}}` in every string of the template; unknown placeholders are reported. */
export function substitute(template: unknown, values: Readonly<Record<string, string>>): unknown {
  const unknown = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (token, name: string) => {
        const value = values[`{{${name}}}`];
        if (value === undefined) unknown.add(token);
        return value ?? token;
      });
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  const result = walk(template);
  if (unknown.size > 0) {
    throw new PackagingError(
      [...unknown].map(
        (t) => `Espace réservé inconnu ${t} dans le manifeste (connus\u00a0: ${knownList()}).`,
      ),
    );
  }
  return result;
}

const knownList = () => Object.values(PLACEHOLDERS).join(', ');

/** Directory of the Teams JSON schemas shipped inside @microsoft/app-manifest. */
function bundledSchemaDir(): string {
  return path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
}

export function bundledSchemaVersions(): string[] {
  return fs
    .readdirSync(bundledSchemaDir())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => compareVersions(a, b));
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export interface SchemaReport {
  /** The manifest version whose bundled schema was used, e.g. "1.24". */
  version: string;
  /** Every schema error, "<JSON pointer> <message>"; empty when the manifest is valid. */
  errors: string[];
  /** Loading and compiling the schema plus validating, in milliseconds. */
  ms: number;
}

/**
 * Validates against the schema bundled in @microsoft/app-manifest, never over the network: the schema
 * is read from the package's files and handed to `AppManifestUtils.validateAgainstSchema` (ajv, all
 * errors). The `$schema` must name a bundled version ≥ 1.24 and agree with `manifestVersion`.
 */
export async function validateAgainstBundledSchema(manifest: unknown): Promise<SchemaReport> {
  const started = performance.now();
  const m = (manifest ?? {}) as { $schema?: unknown; manifestVersion?: unknown };
  const match = typeof m.$schema === 'string' ? SCHEMA_URL.exec(m.$schema) : null;
  if (!match) {
    throw new PackagingError([
      '$schema doit être l’adresse d’un schéma Teams, par exemple ' +
        'https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json',
    ]);
  }
  const version = `${Number(match[1])}.${Number(match[2])}`;
  const problems: string[] = [];
  if (compareVersions(version, MIN_MANIFEST_VERSION.join('.')) < 0) {
    problems.push(`Schéma v${version} trop ancien\u00a0: v${MIN_MANIFEST_VERSION.join('.')} au minimum.`);
  }
  if (m.manifestVersion !== version) {
    problems.push(
      `manifestVersion (${JSON.stringify(m.manifestVersion)}) ne correspond pas au $schema (v${version}).`,
    );
  }
  const file = path.join(bundledSchemaDir(), `v${version}`, 'MicrosoftTeams.schema.json');
  if (!fs.existsSync(file)) {
    problems.push(
      `Le schéma v${version} n’est pas fourni par @microsoft/app-manifest (versions fournies\u00a0: ` +
        `${bundledSchemaVersions().join(', ')}).`,
    );
  }
  if (problems.length > 0) throw new PackagingError(problems);
  // Same clean-up as the package applies to the published files (\a and \v are not JSON escapes).
  const raw = fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(raw) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    schema,
  );
  return {
    version,
    errors: errors.map((e) => (e.startsWith(' ') ? `(racine)${e}` : e)),
    ms: performance.now() - started,
  };
}

interface ManifestShape {
  developer?: Record<string, unknown>;
  icons?: Record<string, unknown>;
  bots?: Array<{
    botId?: unknown;
    commandLists?: Array<{ commands?: Array<{ title?: unknown; description?: unknown }> }>;
  }>;
  id?: unknown;
}

/** Rules Teams applies that the JSON schema leaves open. */
export function teamsRuleProblems(manifest: unknown): string[] {
  const m = manifest as ManifestShape;
  const problems: string[] = [];
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    const url = m.developer?.[key];
    if (typeof url === 'string' && !/^https:\/\/[^/\s]+/i.test(url)) {
      problems.push(`developer.${key} doit être une adresse https://\u00a0: «\u00a0${url}\u00a0».`);
    }
  }
  m.bots?.forEach((bot, b) => {
    if (bot.botId !== m.id) problems.push(`bots[${b}].botId doit être l’identifiant de l’application (id).`);
    bot.commandLists?.forEach((list, l) => {
      list.commands?.forEach((command, c) => {
        const where = `bots[${b}].commandLists[${l}].commands[${c}]`;
        if (typeof command.title === 'string' && [...command.title].length > COMMAND_TITLE_MAX) {
          problems.push(
            `${where}.title dépasse ${COMMAND_TITLE_MAX} caractères\u00a0: «\u00a0${command.title}\u00a0».`,
          );
        }
        if (
          typeof command.description === 'string' &&
          [...command.description].length > COMMAND_DESCRIPTION_MAX
        ) {
          problems.push(`${where}.description dépasse ${COMMAND_DESCRIPTION_MAX} caractères.`);
        }
      });
    });
  });
  for (const key of ['color', 'outline'] as const) {
    const file = m.icons?.[key];
    if (typeof file === 'string' && (file !== path.posix.basename(file) || file.includes('\\'))) {
      problems.push(
        `icons.${key} doit être un nom de fichier à la racine du paquet, sans dossier\u00a0: «\u00a0${file}\u00a0».`,
      );
    }
  }
  return problems;
}

/**
 * Checks one icon: a readable PNG of the right size; for the outline, only opaque white and fully
 * transparent pixels (Teams tints it), with some of each.
 */
export function iconProblems(kind: keyof typeof ICON_SIZES, name: string, bytes: Buffer): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (error) {
    return [`${name} n’est pas une image PNG lisible (${(error as Error).message}).`];
  }
  const size = ICON_SIZES[kind];
  const problems: string[] = [];
  if (png.width !== size || png.height !== size) {
    problems.push(`${name} mesure ${png.width}×${png.height} pixels\u00a0; Teams attend ${size}×${size}.`);
  }
  if (kind === 'outline') {
    let white = 0;
    let clear = 0;
    const offenders: string[] = [];
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
      if (a === 0) clear++;
      else if (a === 255 && r === 255 && g === 255 && b === 255) white++;
      else offenders.push(`(${(i / 4) % png.width}, ${Math.floor(i / 4 / png.width)})`);
    }
    if (offenders.length > 0) {
      problems.push(
        `${name} doit être blanc sur fond transparent\u00a0: ${offenders.length} pixel(s) ni blanc opaque ni ` +
          `transparent, par exemple ${offenders.slice(0, 5).join(', ')}.`,
      );
    }
    if (white === 0) problems.push(`${name} ne contient aucun pixel blanc.`);
    if (clear === 0) problems.push(`${name} n’a pas de fond transparent.`);
  }
  return problems;
}
