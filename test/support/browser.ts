import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); CHROMIUM_PATH may point elsewhere on a developer's machine. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Screenshots and reports of the browser tests: git-ignored, kept by CI as artefacts. */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** No network beyond this machine, no background services, nothing that differs between runs. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Headless Chromium. Playwright's `launch` gives every browser a fresh temporary profile (user-data-dir)
 * and deletes it on close. A missing Chromium is a failure, never a skip: these tests are the proof that
 * the page works.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium introuvable (${CHROMIUM_PATH}) : installez-le avec « apt-get install -y chromium » (.ci/run le fait).`,
    );
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** What went wrong in a page, in any of its frames, while a test ran. */
export interface PageProblems {
  /** Content-Security-Policy violations: the page's policy must allow exactly what it uses. */
  readonly csp: string[];
  /** Uncaught exceptions of the page's scripts. */
  readonly errors: string[];
}

/**
 * A French browser context that records CSP violations (from every frame, the widget's too) and
 * uncaught errors of its pages.
 */
export async function frenchContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  const problems: PageProblems = { csp: [], errors: [] };
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
    problems.csp.push(text);
  });
  if (options.javaScriptEnabled !== false)
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { __reportCspViolation?: (text: string) => void })
          .__reportCspViolation;
        report?.(
          `${location.origin}${location.pathname}: ${event.effectiveDirective} refused ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`,
        );
      });
    });
  context.on('page', (page) => {
    page.on('pageerror', (error) => problems.errors.push(`${page.url()}: ${error.message}`));
  });
  return { context, problems };
}

/** A full-page screenshot in test-artifacts/ (created if needed); returns its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

export interface AxeSummary {
  /** Serious and critical violations, as `rule (impact): n node(s) — help`: what must be empty. */
  readonly blocking: string[];
  /** Every violation with its impact, for the report. */
  readonly all: string[];
}

/**
 * An axe-core scan with the WCAG 2.1 A and AA rules (what RGAA 4 builds on), frames included; the full
 * result goes to test-artifacts/axe-<name>.json. `bestPractice` adds axe's best-practice rules (landmarks:
 * a page framed into another must not repeat its main, banner or footer).
 */
export async function axeScan(
  page: Page,
  name: string,
  options: { readonly bestPractice?: boolean } = {},
): Promise<AxeSummary> {
  const tags = [
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    ...(options.bestPractice ? ['best-practice'] : []),
  ];
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS_DIR, `axe-${name}.json`),
    JSON.stringify(
      { url: results.url, violations: results.violations, passes: results.passes.length },
      null,
      2,
    ),
  );
  const line = (v: (typeof results.violations)[number]) =>
    `${v.id} (${v.impact}): ${v.nodes.length} node(s) — ${v.help} — ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ')}`;
  return {
    blocking: results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(line),
    all: results.violations.map(line),
  };
}
