// `npm run build [-- <output directory>]` (default dist/): empties the output, compiles src/ and dialogs/
// with tsc (tsconfig.build.json), then copies the assets the compiled code reads (copy-assets.mjs).
// Emptying first means a deleted source leaves no stale .js behind to be run in production.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyAssets } from './copy-assets.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(ROOT, process.argv[2] ?? 'dist');
if (outDir === ROOT || ROOT.startsWith(`${outDir}${path.sep}`)) {
  process.stderr.write(`Dossier de sortie refusé : ${outDir} contient le projet.\n`);
  process.exit(2);
}

fs.rmSync(outDir, { recursive: true, force: true });
const tsc = path.join(
  path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin',
  'tsc',
);
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
const copied = copyAssets(outDir);
process.stdout.write(
  `Compilé dans ${path.relative(ROOT, outDir) || outDir} (${copied.length} fichiers copiés)\n`,
);
