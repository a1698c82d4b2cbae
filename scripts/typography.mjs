// Applies French typography to locale files: typographic apostrophe, non-breaking spaces before
// « ? ! : ; » and inside guillemets. Keywords (user vocabulary, plain ASCII) are left alone.
import fs from 'node:fs';

const NBSP = '\u00a0';
const fix = (s) =>
  s
    .replace(/'/g, '\u2019')
    .replace(/ ([?!:;])/g, `${NBSP}$1`)
    .replace(/« /g, `«${NBSP}`)
    .replace(/ »/g, `${NBSP}»`);
const walk = (node, key = '') => {
  if (typeof node === 'string') return /keywords|Synonyms|commands/.test(key) ? node : fix(node);
  if (Array.isArray(node)) return node.map((v) => walk(v, key));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${key}.${k}`)]));
};
for (const file of process.argv.slice(2)) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, `${JSON.stringify(walk(json), null, 2)}\n`);
}
