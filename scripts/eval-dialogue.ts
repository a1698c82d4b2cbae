import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { type App, buildApp } from '../src/index';
import { silentLogger } from '../src/log';

/**
 * `npm run eval:dialogue [-- <dir>] [-- --only <id>] [-- --strict] [-- --verbose]`: scores whole
 * conversations (test/fixtures/dialogue-heldout/, format in its README) against the real app in embedded
 * mode, over POST /api/messages with `expectReplies`. A report: exits 0 unless `--strict` and a
 * conversation failed; a malformed conversation file stops it with exit code 2.
 */

const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_DIR = path.join(ROOT, 'test', 'fixtures', 'dialogue-heldout');
export const DEFAULT_CLOCK = '2014-11-20T09:00:00+01:00';

// ---------------------------------------------------------------------------------------------------
// The conversation files

const pattern = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source, 'i');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `expression invalide : ${(error as Error).message}` });
  }
});

const checks = {
  expect: z.array(pattern).optional(),
  forbid: z.array(pattern).optional(),
  /** Fails when this turn's replies are exactly those of the previous turn (« no identical answer twice »). */
  differentFromPrevious: z.literal(true).optional(),
  note: z.string().optional(),
};

const userTurn = z.object({ user: z.string().min(1), ...checks }).strict();
const cardTurn = z.object({ card: z.record(z.string(), z.unknown()), ...checks }).strict();
const linkTurn = z
  .object({
    openLink: z.object({ to: z.string().email(), password: z.string().optional() }).strict(),
    /** The page's HTTP status: a number, or a class such as "4xx". */
    expectStatus: z
      .union([z.number().int().min(100).max(599), z.enum(['2xx', '3xx', '4xx', '5xx'])])
      .optional(),
    ...checks,
  })
  .strict();

const turnSchema = z.union([userTurn, cardTurn, linkTurn]);

const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'instant ISO avec décalage')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'instant invalide');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('fr-FR', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'fuseau IANA inconnu');

export const conversationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id en minuscules, chiffres et tirets'),
    description: z.string().min(1),
    issueItem: z.number().int().min(1).max(8),
    clock: isoInstant.optional(),
    channel: z.enum(['webchat', 'msteams', 'emulator', 'test']).optional(),
    timeZone: timeZone.optional(),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

export type Conversation = z.infer<typeof conversationSchema>;
type Turn = z.infer<typeof turnSchema>;

export class FixtureError extends Error {}

/** Every `*.json` of the folder, validated; the first bad file stops everything (named, with its problems). */
export function loadConversations(dir: string): Conversation[] {
  if (!fs.existsSync(dir)) throw new FixtureError(`Dossier introuvable : ${dir}`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new FixtureError(`Aucune conversation (*.json) dans ${dir}`);
  const seen = new Map<string, string>();
  return files.map((file) => {
    const full = path.join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (error) {
      throw new FixtureError(`${file} : JSON invalide (${(error as Error).message})`);
    }
    const parsed = conversationSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(racine)'} : ${i.message}`);
      throw new FixtureError(`${file} : conversation mal formée\n${problems.join('\n')}`);
    }
    const other = seen.get(parsed.data.id);
    if (other) throw new FixtureError(`${file} : id « ${parsed.data.id} » déjà pris par ${other}`);
    seen.set(parsed.data.id, file);
    return parsed.data;
  });
}

// ---------------------------------------------------------------------------------------------------
// What the bot said, as one text per turn

interface Reply {
  type?: string;
  text?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }>;
  suggestedActions?: { actions?: Array<{ title?: string; value?: unknown }> };
}

const TEXT_KEYS = new Set(['text', 'title', 'subtitle', 'label', 'placeholder', 'value']);

/** The visible strings of a card (Adaptive or hero), in document order; buttons collected apart. */
function cardTexts(node: unknown, texts: string[], buttons: string[], inActions = false): void {
  if (Array.isArray(node)) {
    for (const item of node) cardTexts(item, texts, buttons, inActions);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const isButton = inActions && typeof record.title === 'string';
  for (const [key, value] of Object.entries(record)) {
    if (key === 'actions' || key === 'buttons') {
      cardTexts(value, texts, buttons, true);
    } else if (typeof value === 'string') {
      if (isButton && key === 'title') buttons.push(value);
      // `value` only for facts (title/value pairs): elsewhere it is data, not something shown.
      else if (TEXT_KEYS.has(key) && (key !== 'value' || 'title' in record) && !isButton) texts.push(value);
    } else if (typeof value === 'object') {
      cardTexts(value, texts, buttons, false);
    }
  }
}

/**
 * One string per turn: each message's text, then its cards' texts, then a line « ⟦boutons⟧ A | B » for
 * card buttons and « ⟦actions⟧ A | B » for suggested actions (so a check can look at one set of choices).
 */
export function joinReplies(replies: readonly Reply[]): string {
  const lines: string[] = [];
  for (const reply of replies) {
    if (reply.type !== undefined && reply.type !== 'message') continue;
    if (reply.text) lines.push(reply.text);
    for (const attachment of reply.attachments ?? []) {
      if (typeof attachment.content === 'string') {
        lines.push(attachment.content);
        continue;
      }
      const texts: string[] = [];
      const buttons: string[] = [];
      cardTexts(attachment.content, texts, buttons);
      lines.push(...texts);
      if (buttons.length > 0) lines.push(`⟦boutons⟧ ${buttons.join(' | ')}`);
    }
    const actions = (reply.suggestedActions?.actions ?? []).map((a) => a.title ?? String(a.value ?? ''));
    if (actions.length > 0) lines.push(`⟦actions⟧ ${actions.join(' | ')}`);
  }
  return lines.join('\n');
}

export interface CheckFailure {
  kind: 'expect' | 'forbid' | 'status' | 'repeat' | 'error';
  detail: string;
}

/**
 * The first failed check of a turn, if any: every `expect` must match, no `forbid` may match, and with
 * `differentFromPrevious` the replies must differ from the previous turn's.
 */
export function checkTurn(
  turn: Pick<Turn, 'expect' | 'forbid' | 'differentFromPrevious'>,
  text: string,
  previous?: string,
): CheckFailure | undefined {
  for (const source of turn.expect ?? [])
    if (!new RegExp(source, 'i').test(text)) return { kind: 'expect', detail: source };
  for (const source of turn.forbid ?? []) {
    const match = new RegExp(source, 'i').exec(text);
    if (match) return { kind: 'forbid', detail: `${source}  (trouvé : « ${shorten(match[0], 80)} »)` };
  }
  if (turn.differentFromPrevious && previous !== undefined && previous === text)
    return { kind: 'repeat', detail: 'réponse identique à celle du tour précédent' };
  return undefined;
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---------------------------------------------------------------------------------------------------
// The channel side: a connector for proactive messages (and Teams' member lookups)

interface Connector {
  serviceUrl: string;
  posted: Array<{ conversationId: string; activity: Reply }>;
  close(): Promise<void>;
}

async function startConnector(): Promise<Connector> {
  const posted: Connector['posted'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && match?.[1]) {
        try {
          posted.push({ conversationId: decodeURIComponent(match[1]), activity: JSON.parse(body) as Reply });
        } catch {
          // An unreadable proactive message simply does not count as said.
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `proactive-${posted.length}` }));
        return;
      }
      // Teams member lookups (profile address): no profile here, as for a teacher outside Teams' directory.
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Running one conversation

export interface TurnResult {
  index: number;
  said: string;
  scored: boolean;
  failure?: CheckFailure;
  replies: string;
}

export interface ConversationResult {
  conversation: Conversation;
  turns: TurnResult[];
  passed: boolean;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The confirmation link of the most recent mail written for this address (the worker is asynchronous). */
async function latestLink(outboxDir: string, to: string, timeoutMs = 5_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(outboxDir)
      ? fs
          .readdirSync(outboxDir)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => path.join(outboxDir, f))
          .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
      : [];
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(file));
      const recipients = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
        a.value.map((v) => v.address?.toLowerCase()),
      );
      if (!recipients.includes(to.toLowerCase())) continue;
      const link = /https?:\/\/\S+\/confirmation\?jeton=[A-Za-z0-9_%-]+/.exec(mail.text ?? '');
      if (link) return link[0];
    }
    if (Date.now() > deadline) return undefined;
    await sleep(100);
  }
}

function statusMatches(status: number, expected: number | string): boolean {
  return typeof expected === 'number' ? status === expected : String(status)[0] === expected[0];
}

function describeTurn(turn: Turn): string {
  if ('user' in turn) return turn.user;
  if ('card' in turn) {
    // Even test passwords are not printed: the report may be pasted into an issue.
    const shown = Object.entries(turn.card).map(([key, value]) =>
      /password|confirmation|secret/i.test(key) ? `${key}: [masqué]` : `${key}: ${JSON.stringify(value)}`,
    );
    return `[carte] ${shown.join(', ')}`;
  }
  return `[lien du mail pour ${turn.openLink.to}]`;
}

/**
 * Runs one conversation against an app of its own. `env` adds settings (the dialogue tests of `npm test`
 * give it their Redis: state and accounts then go through the real store).
 */
export async function runConversation(
  conversation: Conversation,
  env: Readonly<Record<string, string>> = {},
): Promise<ConversationResult> {
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-dialogue-'));
  const connector = await startConnector();
  let app: App | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      CLOCK_NOW: conversation.clock ?? DEFAULT_CLOCK,
      LOG_LEVEL: 'silent',
      MAIL_OUTBOX_DIR: outboxDir,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ...env,
    });
    app = buildApp(config, silentLogger());
    const url = await app.start();

    const channelId = conversation.channel ?? 'webchat';
    const conversationId =
      channelId === 'msteams' ? `a:eval-${randomUUID()}` : `eval-${conversation.id}-${randomUUID()}`;
    const tenant = '11111111-2222-4333-8444-555555555555';
    const user = { id: `user-${randomUUID()}`, name: 'Claire Moreau' };
    const bot = { id: 'assistant-electeur', name: 'Assistant électeur' };
    // How each channel tells the bot its zone: Web Chat `localTimezone`, Teams also a clientInfo entity.
    const zone: Record<string, unknown> = {};
    if (conversation.timeZone) {
      zone.localTimezone = conversation.timeZone;
      if (channelId === 'msteams')
        zone.entities = [{ type: 'clientInfo', locale: 'fr-FR', timezone: conversation.timeZone }];
    }
    const teams =
      channelId === 'msteams'
        ? { channelData: { tenant: { id: tenant } }, conversationType: 'personal' }
        : undefined;

    const send = async (activity: Record<string, unknown>): Promise<Reply[]> => {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          id: randomUUID(),
          channelId,
          serviceUrl: connector.serviceUrl,
          conversation: teams
            ? { id: conversationId, conversationType: 'personal', tenantId: tenant }
            : { id: conversationId },
          from: user,
          recipient: bot,
          deliveryMode: 'expectReplies',
          locale: 'fr-FR',
          timestamp: new Date().toISOString(),
          ...(teams ? { channelData: teams.channelData } : {}),
          ...activity,
        }),
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status} : ${shorten(body, 200)}`);
      return body ? ((JSON.parse(body) as { activities?: Reply[] }).activities ?? []) : [];
    };

    await send({ type: 'conversationUpdate', membersAdded: [bot, user] });

    const results: TurnResult[] = [];
    let chosenPassword: string | undefined;
    let previousTyped: string | undefined;
    for (const [index, turn] of conversation.turns.entries()) {
      const scored =
        (turn.expect?.length ?? 0) + (turn.forbid?.length ?? 0) > 0 ||
        turn.differentFromPrevious === true ||
        'expectStatus' in turn;
      const result: TurnResult = { index, said: describeTurn(turn), scored, replies: '' };
      try {
        if ('user' in turn) {
          if (turn.user === previousTyped && !/\s/.test(turn.user.trim())) chosenPassword = turn.user.trim();
          previousTyped = turn.user;
          result.replies = joinReplies(await send({ type: 'message', text: turn.user, ...zone }));
        } else if ('card' in turn) {
          if (typeof turn.card.password === 'string') chosenPassword = turn.card.password;
          result.replies = joinReplies(await send({ type: 'message', value: turn.card, ...zone }));
        } else {
          const before = connector.posted.length;
          const link = await latestLink(outboxDir, turn.openLink.to);
          if (!link) {
            result.failure = { kind: 'error', detail: `aucun mail de confirmation pour ${turn.openLink.to}` };
          } else {
            // Opening the link only shows a page; the teacher confirms by typing the voter password chosen
            // in this conversation (the file's, else the last card's, else a word typed twice in a row).
            let page = await fetch(link);
            const html = await page.text();
            const password = turn.openLink.password ?? chosenPassword;
            if (page.status === 200 && /name="password"/.test(html) && password !== undefined) {
              const jeton = new URL(link).searchParams.get('jeton') ?? '';
              page = await fetch(new URL('/confirmation', link), {
                method: 'POST',
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ jeton, password }).toString(),
              });
              await page.text();
            }
            if (turn.expectStatus !== undefined && !statusMatches(page.status, turn.expectStatus))
              result.failure = {
                kind: 'status',
                detail: `page du lien : HTTP ${page.status}, attendu ${turn.expectStatus}`,
              };
            // The bot tells the conversation proactively after a confirmation: give it a moment.
            const wait = page.status < 300 ? 3_000 : 500;
            const deadline = Date.now() + wait;
            const mine = () =>
              connector.posted.slice(before).filter((p) => p.conversationId === conversationId);
            while (Date.now() < deadline && (page.status >= 300 || mine().length === 0)) await sleep(50);
            result.replies = joinReplies(mine().map((p) => p.activity));
          }
        }
        result.failure ??= checkTurn(turn, result.replies, results.at(-1)?.replies);
      } catch (error) {
        result.failure = { kind: 'error', detail: (error as Error).message };
      }
      results.push(result);
    }
    return { conversation, turns: results, passed: results.every((r) => !r.failure) };
  } finally {
    await app?.stop({ turnsMs: 1_000, outboxMs: 500 });
    await connector.close();
    fs.rmSync(outboxDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// The report

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`;
}

export interface Totals {
  conversations: { passed: number; total: number };
  turns: { passed: number; total: number };
  byItem: Map<number, Totals['conversations'] & { turnsPassed: number; turnsTotal: number }>;
}

export function totalsOf(results: readonly ConversationResult[]): Totals {
  const byItem: Totals['byItem'] = new Map();
  let turnsPassed = 0;
  let turnsTotal = 0;
  for (const r of results) {
    const scored = r.turns.filter((t) => t.scored || t.failure);
    const ok = scored.filter((t) => !t.failure).length;
    turnsPassed += ok;
    turnsTotal += scored.length;
    const item = byItem.get(r.conversation.issueItem) ?? {
      passed: 0,
      total: 0,
      turnsPassed: 0,
      turnsTotal: 0,
    };
    item.total += 1;
    if (r.passed) item.passed += 1;
    item.turnsPassed += ok;
    item.turnsTotal += scored.length;
    byItem.set(r.conversation.issueItem, item);
  }
  return {
    conversations: { passed: results.filter((r) => r.passed).length, total: results.length },
    turns: { passed: turnsPassed, total: turnsTotal },
    byItem: new Map([...byItem].sort(([a], [b]) => a - b)),
  };
}

function indent(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}… [${text.length - max} caractères de plus]` : text;
  return cut
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n');
}

export function report(result: ConversationResult, verbose: boolean): string {
  const { conversation, turns } = result;
  const lines = [`${result.passed ? 'PASS' : 'FAIL'}  ${conversation.id}  (point ${conversation.issueItem})`];
  const failed = turns.filter((t) => t.failure);
  const shown = verbose ? turns : failed.slice(0, 1);
  for (const turn of shown) {
    const label = turn.failure ? `tour ${turn.index + 1} ÉCHOUE` : `tour ${turn.index + 1}`;
    lines.push(`    ${label} — « ${shorten(turn.said, 160)} »`);
    if (turn.failure) {
      const what = {
        expect: 'attendu, absent',
        forbid: 'interdit, présent',
        status: 'état',
        repeat: 'répétition',
        error: 'erreur',
      }[turn.failure.kind];
      lines.push(`      ${what} : ${turn.failure.detail}`);
    }
    lines.push('      réponses :', indent(turn.replies || '(aucune)', verbose ? 4_000 : 900));
  }
  if (!verbose && failed.length > 1)
    lines.push(
      `    (+ ${failed.length - 1} autre(s) tour(s) en échec : ${failed.map((t) => t.index + 1).join(', ')})`,
    );
  return lines.join('\n');
}

export function summary(totals: Totals): string {
  const { conversations, turns } = totals;
  const lines = [
    '',
    `Conversations réussies : ${conversations.passed} / ${conversations.total} (${percent(conversations.passed, conversations.total)})`,
    `Tours vérifiés réussis : ${turns.passed} / ${turns.total} (${percent(turns.passed, turns.total)})`,
    '',
    'Par point de l’issue 11 :',
  ];
  for (const [item, t] of totals.byItem)
    lines.push(
      `  ${item}. conversations ${t.passed}/${t.total} (${percent(t.passed, t.total)}), tours ${t.turnsPassed}/${t.turnsTotal} (${percent(t.turnsPassed, t.turnsTotal)})`,
    );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Command line

interface Options {
  dir: string;
  only: string[];
  strict: boolean;
  verbose: boolean;
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { dir: DEFAULT_DIR, only: [], strict: false, verbose: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--strict') options.strict = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--only') {
      const id = args[i + 1];
      if (!id) throw new FixtureError('--only attend un id de conversation');
      options.only.push(id);
      i += 1;
    } else if (arg.startsWith('--only=')) options.only.push(arg.slice('--only='.length));
    else if (arg.startsWith('--')) throw new FixtureError(`Option inconnue : ${arg}`);
    else options.dir = path.resolve(process.cwd(), arg);
  }
  return options;
}

/** The worker prints each mailed link in embedded mode: useful for a newcomer, noise in a report. */
function quietMailNotices(): () => void {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (String(chunk).includes('/confirmation?jeton=')) return true;
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return () => {
    process.stderr.write = write;
  };
}

export async function main(
  args: readonly string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const options = parseArgs(args);
  let conversations = loadConversations(options.dir);
  if (options.only.length > 0) {
    const unknown = options.only.filter((id) => !conversations.some((c) => c.id === id));
    if (unknown.length > 0) throw new FixtureError(`Conversation inconnue : ${unknown.join(', ')}`);
    conversations = conversations.filter((c) => options.only.includes(c.id));
  }
  const restore = quietMailNotices();
  const results: ConversationResult[] = [];
  try {
    for (const conversation of conversations) {
      const result = await runConversation(conversation);
      results.push(result);
      out(`${report(result, options.verbose)}\n`);
    }
  } finally {
    restore();
  }
  out(`${summary(totalsOf(results))}\n`);
  return options.strict && results.some((r) => !r.passed) ? 1 : 0;
}

if (require.main === module) {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof FixtureError ? error.message : (error as Error).stack}\n`);
      process.exit(2);
    },
  );
}
