// After `tsc`, copies what the compiled code reads from disk beside its own __dirname.
import fs from 'node:fs';

for (const [from, to] of [
  ['locales', 'dist/locales'],
  ['calendars', 'dist/calendars'],
  ['src/http/static', 'dist/src/http/static'],
  ['src/http/webchat/static', 'dist/src/http/webchat/static'],
  ['src/infra/redis/lua', 'dist/src/infra/redis/lua'],
]) {
  fs.cpSync(from, to, { recursive: true });
}
