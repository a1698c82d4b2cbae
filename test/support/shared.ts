import fs from 'node:fs';
import path from 'node:path';
import { it } from 'mocha';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `it` for a test that reads `file` from the team's ../shared beside the clone (domain facts, dev corpus),
 * which CI has and a user's clone does not. Without the file the test is registered as pending,
 * its title saying what is missing and why, so that mocha's output shows it was not run; with
 * REQUIRE_SHARED=1 (for CI) a missing file fails the test instead.
 */
export function itWithShared(title: string, file: string, fn: Mocha.Func): Mocha.Test {
  if (fs.existsSync(file) || process.env.REQUIRE_SHARED === '1') return it(title, fn);
  const missing = path.relative(ROOT, file);
  return it(`${title} — SKIPPED: ${missing} is absent (a clone without ../shared; CI has it)`);
}
