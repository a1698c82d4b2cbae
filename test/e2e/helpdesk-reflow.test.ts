import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createArgon2Hasher } from '../../src/infra/argon2-hasher';
import { RedisAuditLog } from '../../src/infra/redis/audit';
import { type BotHarness, startBot } from '../support/bot-harness';
import {
  ARTIFACTS_DIR,
  axeScan,
  frenchContext,
  launchChromium,
  type PageProblems,
  screenshot,
} from '../support/browser';
import { requestAccount, SENT, walkToPassword } from '../support/walk';

const LOGIN = 'assistance';
const PASSWORD = 'Console-Assistance-2014';
/** As long as a real address gets: it must wrap, not push the page sideways. */
const LONG_EMAIL = 'marie-christine.de-la-fontaine-saint-andre@ac-aix-marseille.fr';
const OTHER_EMAIL = 'sofia.kovalevskaia@ac-paris.fr';
const LONG_URL =
  'https://www.education.gouv.fr/elections-professionnelles-2014/comment-voter/activer-mon-compte-electeur-depuis-ma-messagerie-professionnelle?origine=assistant-electeur&etape=confirmation';
const LONG_WORD = 'anticonstitutionnellement'.repeat(4);

/**
 * The two widths WCAG 1.4.10 asks for. A phone is 320 CSS px wide. 200 % zoom on a 1280 px window is
 * what Chromium's zoom does: the layout viewport becomes 640 CSS px (media queries, percentages and
 * `vw` all see 640) and each CSS px is drawn with two device pixels. So « 1280 px at 200 % » is a
 * 640 × 450 viewport at deviceScaleFactor 2, exactly; `deviceScaleFactor` alone changes only the
 * rendering, and `document.body.style.zoom` scales the body inside an unchanged 1280 px viewport (media
 * queries still see 1280), which is not what an agent who zooms gets.
 */
const WIDTHS = [
  { name: '320', width: 320, height: 640 },
  { name: '200pc', width: 640, height: 450 },
] as const;

interface Figure {
  readonly page: string;
  readonly width: number;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  /** Smallest chart label as drawn, in CSS px (statistics only). */
  readonly chartLabelPx?: number;
}

/**
 * Every console page, as an agent reads it on a phone and at 200 % zoom: no sideways scrolling of the
 * page (tables and the chart may scroll inside their own labelled, focusable region), no axe violation
 * (WCAG 2.1 A/AA), chart labels legible, and a visible focus (≥ 3:1) on every control reached by Tab.
 * Screenshots and figures go to test-artifacts/.
 */
describe('helpdesk console pages at 320 px and 200 % zoom, in Chromium', function () {
  this.timeout(300_000);
  let browser: Browser;
  let bot: BotHarness;
  let watched: { context: BrowserContext; problems: PageProblems };
  let page: Page;
  let transcriptUrl: string;
  let cancelUrl: string;
  const figures: Figure[] = [];

  before(async () => {
    browser = await launchChromium();
    const phc = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1 }).hash(PASSWORD);
    bot = await startBot({ HELPDESK_USERS: `${LOGIN}:${phc}` });

    // A long conversation: the activation with a long address, then questions, long words and a long URL.
    const chat = bot.conversation('webchat');
    assert.match(await requestAccount(chat, LONG_EMAIL, 'Fontaine2014'), SENT);
    for (const text of [
      'Quand a lieu le vote ?',
      `J’ai trouvé ce lien : ${LONG_URL}`,
      `Mon identifiant est ${LONG_WORD}, est-ce normal ?`,
      'Je n’ai pas reçu le mail',
      'Quelles sont les règles du mot de passe ?',
      'Jusqu’à quand puis-je créer mon compte ?',
      'Qui peut voter ?',
      'Merci beaucoup',
    ])
      await chat.say(text);
    transcriptUrl = `${bot.url}/helpdesk/transcripts/webchat/${encodeURIComponent(chat.id)}`;
    const other = bot.conversation('webchat');
    assert.match(await requestAccount(other, OTHER_EMAIL, 'Kovalevskaia1850'), SENT);
    cancelUrl = `${bot.url}/helpdesk/transcripts/webchat/${encodeURIComponent(other.id)}`;
    // A conversation stopped at the password card: its transcript shows the card.
    await walkToPassword(bot.conversation('webchat'), 'a.b@ac-paris.fr');

    // More than one page of audit (200 entries a page): the older and newer links show.
    const audit = new RedisAuditLog(bot.redis.redis, { prefix: bot.redis.prefix });
    const now = bot.app.clock.now().getTime();
    for (let i = 0; i < 230; i += 1)
      await audit.record({
        at: new Date(now - (i + 60) * 60_000).toISOString(),
        login: LOGIN,
        action: i % 3 === 0 ? 'transcript.read' : 'search',
        target: i % 3 === 0 ? `webchat/conv-${'0123456789abcdef'.repeat(3)}` : `email:${LONG_EMAIL}`,
      });

    watched = await frenchContext(browser, {
      deviceScaleFactor: 2,
      httpCredentials: { username: LOGIN, password: PASSWORD },
    });
    // tsx (esbuild, keepNames) wraps named functions in `__name(…)`, which the page does not define.
    await watched.context.addInitScript('globalThis.__name = (f) => f;');
    page = await watched.context.newPage();
  });

  after(async () => {
    if (figures.length > 0) {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(ARTIFACTS_DIR, 'console-reflow.json'), JSON.stringify(figures, null, 2));
      console.log(
        figures
          .map(
            (f) =>
              `      ${f.page} @ ${f.width} px: scrollWidth ${f.scrollWidth} / clientWidth ${f.clientWidth}${f.chartLabelPx === undefined ? '' : `, chart labels ${f.chartLabelPx.toFixed(1)} px`}`,
          )
          .join('\n'),
      );
    }
    await watched?.context.close();
    await browser?.close();
    await bot?.close();
  });

  /**
   * The page now in the tab, at each width: sideways scrolling, screenshot, axe, chart labels; then at
   * 1280 px, every control reached by Tab.
   */
  async function check(name: string): Promise<void> {
    const problems: string[] = [];
    for (const size of WIDTHS) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const measured = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      const chartLabelPx = await smallestChartLabel(page);
      figures.push({ page: name, width: size.width, ...measured, ...(chartLabelPx ? { chartLabelPx } : {}) });
      await screenshot(page, `console-reflow-${name}-${size.name}`);
      if (measured.scrollWidth > measured.clientWidth)
        problems.push(`${size.width} px: the page scrolls sideways to ${measured.scrollWidth} px`);
      if (chartLabelPx !== undefined && chartLabelPx < 12)
        problems.push(`${size.width} px: chart labels drawn at ${chartLabelPx.toFixed(1)} px`);
      const scan = await axeScan(page, `console-reflow-${name}-${size.name}`);
      for (const line of scan.all) problems.push(`${size.width} px: axe ${line}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    problems.push(...(await focusProblems(page)));
    assert.deepEqual(problems, [], name);
    assert.deepEqual(watched.problems.errors, []);
  }

  async function open(url: string, status: number): Promise<void> {
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(url);
    assert.equal(response?.status(), status, url);
  }

  /** Clicks a console form's button by keyboard, as an agent would, and waits for its answer. */
  async function press(button: string): Promise<number | undefined> {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: button }).focus();
    const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    return response?.status();
  }

  const h1 = async () => ((await page.locator('h1').textContent()) ?? '').trim();

  it('the search page, empty', async () => {
    await open(`${bot.url}/helpdesk`, 200);
    await check('recherche');
  });

  it('the search page with the conversations of a long address', async () => {
    await open(`${bot.url}/helpdesk?email=${encodeURIComponent(LONG_EMAIL)}`, 200);
    assert.equal(await page.getByRole('link', { name: 'Lire la conversation' }).count(), 1);
    await check('recherche-adresse');
  });

  it('the search page with the conversations of a day', async () => {
    await open(`${bot.url}/helpdesk?day=2014-11-20`, 200);
    assert.equal(await page.getByRole('link', { name: 'Lire la conversation' }).count(), 3);
    await check('recherche-jour');
  });

  it('the search page with an error', async () => {
    await open(`${bot.url}/helpdesk?day=2014-13-45`, 400);
    await check('recherche-erreur');
  });

  it('a long conversation with long words, addresses and links', async () => {
    await open(transcriptUrl, 200);
    assert.match((await page.locator('main').textContent()) ?? '', /anticonstitutionnellement/);
    await check('conversation');
  });

  it('the resend result page', async () => {
    await open(transcriptUrl, 200);
    assert.equal(await press('Renvoyer le mail de confirmation'), 202);
    assert.equal(await h1(), 'Mail renvoyé');
    await check('renvoi');
  });

  it('the refusal after too many resends (429)', async () => {
    let status: number | undefined;
    for (let i = 0; i < 5 && status !== 429; i += 1) {
      await open(transcriptUrl, 200);
      status = await press('Renvoyer le mail de confirmation');
    }
    assert.equal(status, 429);
    assert.equal(await h1(), 'Mail non renvoyé');
    await check('renvoi-429');
  });

  it('the refusal of a form without its token (403)', async () => {
    await open(cancelUrl, 200);
    await page
      .locator('input[name="csrf"]')
      .first()
      .evaluate((input) => {
        (input as HTMLInputElement).value = 'jeton-perime';
      });
    assert.equal(await press('Renvoyer le mail de confirmation'), 403);
    assert.equal(await h1(), 'Action refusée');
    await check('refus-403');
  });

  it('the cancel result page', async () => {
    await open(cancelUrl, 200);
    assert.equal(await press('Annuler la demande en attente'), 200);
    assert.equal(await h1(), 'Demande annulée');
    await check('annulation');
  });

  it('an unknown console page (404)', async () => {
    await open(`${bot.url}/helpdesk/introuvable`, 404);
    assert.equal(await h1(), 'Page introuvable');
    await check('introuvable-404');
  });

  it('a conversation that is not stored (404)', async () => {
    await open(`${bot.url}/helpdesk/transcripts/webchat/inconnue`, 404);
    await check('conversation-404');
  });

  it('the statistics, 14 days', async () => {
    await open(`${bot.url}/helpdesk/stats`, 200);
    await check('statistiques');
  });

  it('the statistics, 90 days', async () => {
    await open(`${bot.url}/helpdesk/stats?days=90`, 200);
    await check('statistiques-90');
  });

  it('the audit, with its link to older entries', async () => {
    await open(`${bot.url}/helpdesk/audit`, 200);
    const older = page.getByRole('link', { name: 'Voir les entrées plus anciennes' });
    assert.equal(await older.count(), 1);
    await check('journal');
  });

  it('the older audit entries, with the link back to the newest', async () => {
    await open(`${bot.url}/helpdesk/audit`, 200);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: 'Voir les entrées plus anciennes' }).click(),
    ]);
    assert.equal(await page.getByRole('link', { name: 'Revenir aux entrées les plus récentes' }).count(), 1);
    await check('journal-anciennes');
  });
});

/** The smallest label of the visible chart, in CSS px as drawn (font size × the SVG's scale). */
async function smallestChartLabel(page: Page): Promise<number | undefined> {
  return page.evaluate(() => {
    const sizes = [...document.querySelectorAll('figure svg text')]
      .filter((text) => (text as SVGGraphicsElement).getClientRects().length > 0)
      .map((text) => {
        const matrix = (text as SVGGraphicsElement).getScreenCTM();
        const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
        return Number.parseFloat(getComputedStyle(text).fontSize) * scale;
      });
    return sizes.length > 0 ? Math.min(...sizes) : undefined;
  });
}

/**
 * Tabs through the page from the top, as a keyboard user does: each control reached must show an outline
 * (solid, at least 2 px) whose colour has at least 3:1 contrast with what surrounds it.
 */
async function focusProblems(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return undefined;
      const rgba = (value: string) => {
        const parts = (value.match(/[\d.]+/g) ?? []).map(Number);
        return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
      };
      const luminance = (c: { r: number; g: number; b: number }) => {
        const channel = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
      };
      // The outline is drawn around the element (offset outside it): against its parent's background.
      let background = { r: 255, g: 255, b: 255, a: 1 };
      for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour.a > 0) {
          background = colour;
          break;
        }
      }
      const style = getComputedStyle(element);
      const outline = rgba(style.outlineColor);
      const [light, dark] = [luminance(outline), luminance(background)].sort((a, b) => b - a);
      const path = [];
      for (let node: Element | null = element; node && node !== document.body; node = node.parentElement)
        path.unshift(
          `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}:${[...(node.parentElement?.children ?? [])].indexOf(node)}`,
        );
      return {
        key: path.join('>'),
        label: `${element.tagName.toLowerCase()} « ${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)} »`,
        style: style.outlineStyle,
        width: Number.parseFloat(style.outlineWidth),
        contrast: ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05),
      };
    });
    if (!focused || seen.has(focused.key)) break;
    seen.add(focused.key);
    if (focused.style === 'none' || focused.width < 2 || focused.contrast < 3)
      problems.push(
        `focus on ${focused.label}: outline ${focused.style} ${focused.width} px, contrast ${focused.contrast.toFixed(2)}:1`,
      );
  }
  if (seen.size === 0) problems.push('Tab reaches no control');
  return problems;
}
