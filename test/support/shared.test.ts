import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs mocha on a spec using itWithShared with a file that exists and one that does not. */
function runSpec(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-skip-'));
  try {
    const spec = path.join(dir, 'spec.test.ts');
    fs.writeFileSync(
      spec,
      `import { itWithShared } from ${JSON.stringify(path.join(ROOT, 'test', 'support', 'shared'))};
itWithShared('reads a present file', ${JSON.stringify(spec)}, () => {});
itWithShared('reads the corpus', ${JSON.stringify(path.join(dir, 'absent', 'corpus.tsv'))}, () => {
  throw new Error('ran without its file');
});
`,
    );
    return spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--no-config',
        '--no-color',
        '--require',
        'tsx/cjs',
        spec,
      ],
      // CI forces colours (FORCE_COLOR): the reporter would put escape codes between « ✔ » and the title.
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', REQUIRE_SHARED: '', ...env },
        timeout: 60_000,
      },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('itWithShared (tests that read ../shared)', function () {
  this.timeout(60_000);

  it('runs the test when its file is there; otherwise shows it as pending, saying which file and why', () => {
    const run = runSpec();
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ reads a present file/);
    assert.match(
      run.stdout,
      /- reads the corpus — SKIPPED: .*corpus\.tsv is absent \(a clone without \.\.\/shared; CI has it\)/,
    );
    assert.match(run.stdout, /1 passing/);
    assert.match(run.stdout, /1 pending/);
  });

  it('fails instead with REQUIRE_SHARED=1 (for CI)', () => {
    const run = runSpec({ REQUIRE_SHARED: '1' });
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /1 failing/);
    assert.match(run.stdout, /ran without its file/);
  });
});
