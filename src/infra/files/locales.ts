import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../../i18n';

/** locales/fr beside the source tree or the compiled one (the build copies it). */
export const LOCALES_DIR = path.resolve(__dirname, '..', '..', '..', 'locales', 'fr');

/** Reads every locales/fr/*.json into one catalogue: the file name is the key's first part. */
export function readCatalog(dir: string = LOCALES_DIR): Catalog {
  const catalog: Catalog = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    catalog[path.basename(file, '.json')] = JSON.parse(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    ) as Catalog;
  }
  return catalog;
}
