// After `tsc`, copies beside the compiled code every file it reads from disk: locales/, calendars/ and academies/
// whole, and every file under src/ and dialogs/ that is not TypeScript (styles, scripts, icons, Lua, JSON).
// The tree is walked rather than listed, so that a new asset cannot be left out of the build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Read by the code at run time, and nothing else lives there. */
const WHOLE = ['locales', 'calendars', 'academies'];
/** Compiled by tsc; what tsc does not emit is copied. */
const SOURCES = ['src', 'dialogs'];
const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/;

/** Copies the assets into `outDir` and returns their paths relative to the project root. */
export function copyAssets(outDir) {
  const copied = [];
  const copy = (relative) => {
    const to = path.join(outDir, relative);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(ROOT, relative), to);
    copied.push(relative);
  };
  const walk = (relative, keep) => {
    for (const entry of fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      // Editor and system leftovers (.DS_Store, swap files) are not assets.
      if (entry.name.startsWith('.')) continue;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child, keep);
      else if (entry.isFile() && keep(entry.name)) copy(child);
    }
  };
  for (const dir of WHOLE) walk(dir, () => true);
  for (const dir of SOURCES) walk(dir, (name) => !TYPESCRIPT.test(name));
  return copied;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.resolve(ROOT, process.argv[2] ?? 'dist');
  const copied = copyAssets(outDir);
  process.stdout.write(`${copied.length} fichiers copiés dans ${path.relative(ROOT, outDir) || '.'}\n`);
}
