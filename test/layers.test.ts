import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'mocha';

const ROOT = path.resolve(__dirname, '..');
const CRUISER = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/** dependency-cruiser with the project's rules, on `dirs` of `cwd`; its JSON report. */
function cruise(cwd: string, dirs: string[]) {
  const run = spawnSync(process.execPath, [CRUISER, '--config', CONFIG, '--output-type', 'json', ...dirs], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  assert.ok(run.stdout, `dependency-cruiser printed nothing: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as {
    summary: {
      violations: Array<{ rule: { name: string }; from: string; to: string }>;
      totalCruised: number;
    };
  };
  return report.summary;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

describe('the layers (README « How it is built »), checked with dependency-cruiser', function () {
  this.timeout(120_000);

  it('hold in src/ and dialogs/: domain ← dialogs ← bot ← http, infra implementing the ports, dev tools apart', () => {
    const result = cruise(ROOT, ['src', 'dialogs']);
    const lines = result.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    assert.deepEqual(lines, []);
    // The tree was really read (a wrong path would cruise nothing and find nothing).
    assert.ok(result.totalCruised > 150, `only ${result.totalCruised} modules cruised`);
  });

  it('catch what they forbid (the rules themselves work)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    try {
      write(dir, {
        'src/domain/reads-a-file.ts': "import fs from 'node:fs';\nexport const x = fs.existsSync('a');\n",
        'src/domain/uses-redis.ts': "import { y } from '../infra/store';\nexport const z = y;\n",
        'src/infra/store.ts': "import { w } from '../http/route';\nexport const y = w;\n",
        'src/http/route.ts': "import { d } from '../../dialogs/step';\nexport const w = d;\n",
        'dialogs/step.ts': "import { e } from '../src/dev/tool';\nexport const d = e;\n",
        'src/dev/tool.ts': 'export const e = 1;\n',
        'src/bot/bot.ts': "import { y } from '../infra/store';\nexport const b = y;\n",
      });
      const result = cruise(dir, ['src', 'dialogs']);
      const found = result.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
      assert.deepEqual(found, [
        'bot-below-http: src/bot/bot.ts → src/infra/store.ts',
        'dev-tools-stay-dev: dialogs/step.ts → src/dev/tool.ts',
        'dialogs-above-the-domain-only: dialogs/step.ts → src/dev/tool.ts',
        'domain-does-no-io: src/domain/reads-a-file.ts → fs',
        'domain-is-plain: src/domain/uses-redis.ts → src/infra/store.ts',
        'http-not-into-dialogs: src/http/route.ts → dialogs/step.ts',
        'infra-implements-ports: src/infra/store.ts → src/http/route.ts',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
