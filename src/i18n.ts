/**
 * Every user-facing string lives in locales/fr/*.json; the file name is the first part of the key
 * (`bot.welcome.intro` is `welcome.intro` in locales/fr/bot.json). Placeholders are `{name}`.
 *
 * This module reads no file: the composition root reads the catalogue (src/infra/files/locales.ts) and
 * installs it once at start-up, so that the domain and the dialogs, which use `t`, do no I/O at import.
 */
export type Catalog = { [key: string]: string | string[] | Catalog };
export type Params = Readonly<Record<string, string | number>>;

let catalog: Catalog | undefined;

/** Installs the French catalogue (start-up, or a test's set-up). Installing again replaces it. */
export function installCatalog(loaded: Catalog): void {
  catalog = loaded;
  found.clear();
}

/** Keys already looked up: the catalog never changes once loaded. */
const found = new Map<string, string | string[]>();

function lookup(key: string): string | string[] {
  const known = found.get(key);
  if (known !== undefined) return known;
  const value = walk(key);
  found.set(key, value);
  return value;
}

function walk(key: string): string | string[] {
  if (!catalog) throw new Error('Catalogue des textes non chargé : installCatalog() au démarrage');
  let node: Catalog | string | string[] | undefined = catalog;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string' || Array.isArray(node)) break;
    node = node[part];
  }
  if (typeof node === 'string' || Array.isArray(node)) return node;
  // A missing string is a programming error: fail loudly in tests rather than show a key to a teacher.
  throw new Error(`Texte manquant dans locales/fr : ${key}`);
}

function fill(template: string, params: Params | undefined, key: string): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Paramètre « ${name} » manquant pour ${key}`);
    return String(value);
  });
}

/** The French text for `key`, with `{placeholders}` filled. Arrays are joined with line breaks. */
export function t(key: string, params?: Params): string {
  const value = lookup(key);
  return fill(Array.isArray(value) ? value.join('\n') : value, params, key);
}

/** The French list for `key` (e.g. numbered steps), each item filled. */
export function tList(key: string, params?: Params): string[] {
  const value = lookup(key);
  return (Array.isArray(value) ? value : [value]).map((v) => fill(v, params, key));
}

/** Every key of the catalog, for the locale tests. */
export function allKeys(node: Catalog = catalog ?? {}, prefix = ''): string[] {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === 'string' || Array.isArray(v) ? [`${prefix}${k}`] : allKeys(v, `${prefix}${k}.`),
  );
}
