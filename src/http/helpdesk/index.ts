import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { PasswordHasher } from '../../domain/accounts/ports';
import type { AuditAction, AuditLog } from '../../domain/audit/ports';
import { formatDateTimeFr } from '../../domain/calendar/format';
import { AgentScope, type DomainsOfAcademie, outOfScope } from '../../domain/helpdesk/scope';
import type { HelpdeskUser } from '../../domain/helpdesk/users';
import type { RateLimiter } from '../../domain/limits/rate-limiter';
import { isMailDomain } from '../../domain/mail-domain';
import { type AccountsDay, addDays, dayOf, type StatsReader } from '../../domain/stats/ports';
import type { TranscriptArchive } from '../../domain/transcripts/ports';
import { AppError, type ErrorCode, isAppError } from '../../errors';
import { t } from '../../i18n';
import { createArgon2Hasher } from '../../infra/argon2-hasher';
import type { Logger } from '../../log';
import { readForm } from '../body';
import { sendErrorPage, sendHtml, sendJson, sendJsonError } from '../respond';
import type { Mount } from '../server';
import { visibleRecords } from './audit-scope';
import { type AuthResult, createBasicAuth } from './auth';
import { HANDOFF_SCRIPT_URL } from './handoff-pages';
import { type HandoffConsole, handoffRoutes } from './handoffs';
import { auditPage, CSS_URL, type Link, messagePage, problemField, searchPage } from './pages';
import type { HelpdeskAccounts } from './ports';
import { describe, emailSchema, idSchema, parseSearch, search } from './search';
import { statsPage, statsUnavailablePage } from './stats-page';
import { transcriptPage } from './transcript-page';

export type { AuditEntry, AuditLog } from '../../domain/audit/ports';
export { type HelpdeskUser, parseHelpdeskUsers } from '../../domain/helpdesk/users';
export type { HelpdeskAccounts } from './ports';

export interface HelpdeskOptions {
  /** parseHelpdeskUsers(HELPDESK_USERS). Empty: the console is not mounted at all (every route 404). */
  readonly users: readonly HelpdeskUser[];
  /** AccountService satisfies it; `resend` should also kick the outbox worker. */
  readonly accounts: HelpdeskAccounts;
  readonly transcripts: TranscriptArchive;
  /** RedisAuditLog, or MemoryAuditLog in embedded mode. */
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Dates are shown in this zone; Europe/Paris by default (pass calendar.timeZone). */
  readonly timeZone?: string;
  /** config.webChat.trustProxy: the client address for rate limiting is then the last X-Forwarded-For hop. */
  readonly trustProxy?: boolean;
  /** config.publicBaseUrl: an Origin accepted on POSTs, besides the request's own Host. */
  readonly publicBaseUrl?: string;
  /**
   * Signs the resend form's anti-CSRF token (pass SECRET_KEY). Without it a random per-process key: a
   * form shown by one instance is then refused by another.
   */
  readonly csrfKey?: string;
  /** argon2id (createArgon2Hasher) by default; only `verify` is used. */
  readonly hasher?: Pick<PasswordHasher, 'verify'>;
  /**
   * The shared limiter (RedisRateLimiter, or memory in embedded mode): failed logins per IP and per
   * (login, IP). Resends are limited by the account service itself (RATE_LIMITED).
   */
  readonly limiter: RateLimiter;
  /** RedisStats or MemoryStats. Absent: /helpdesk/stats says statistics are unavailable. */
  readonly stats?: StatsReader;
  /**
   * An académie profile id → its mail domains: a conversation whose académie is known without an address
   * (its summary's `academie`) is within a scoped agent's reach through them. None by default.
   */
  readonly domainsOfAcademie?: DomainsOfAcademie;
  /** The live handoff (issue 15): the queue and the way to speak in a conversation. Absent: no such pages. */
  readonly handoffs?: HandoffConsole;
}

const CSS = fs.readFileSync(path.join(__dirname, 'static', 'helpdesk.css'));
const HANDOFF_JS = fs.readFileSync(path.join(__dirname, 'static', 'handoffs.js'));
/** Browsers show it in the login box; ASCII only, since header values cannot carry ’ (U+2019). */
const REALM = 'Basic realm="Console d\'assistance", charset="UTF-8"';
/** The console's forms carry an address and a token: 4 KB is plenty, and nothing bigger is read. */
const MAX_FORM_BYTES = 4096;
/** An account still pending this long after its request is worth a look (the link lasts 48 h). */
const PENDING_ALERT_MS = 24 * 3_600_000;
const TOP_INTENTS = 10;
const MISUNDERSTOOD_SHOWN = 50;
/** GET /helpdesk/api/audit: a page size, and a cursor (the `next` of the page before, an ISO instant). */
const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.iso.datetime().optional(),
});

interface Context {
  readonly req: Request;
  readonly res: Response;
  readonly login: string;
  /** What the agent may see and touch: every route asks it before it shows or changes anything. */
  readonly scope: AgentScope;
}
interface FormContext extends Context {
  readonly form: URLSearchParams;
}
type Kind = 'api' | 'page';

/** A console refusal: the code's status, the console's own French message. */
const refusal = (code: ErrorCode, messageKey: string, data?: Record<string, unknown>) =>
  new AppError(code, messageKey, data, { key: messageKey });

/**
 * The helpdesk console under /helpdesk: French pages and a JSON API, behind HTTP Basic. Every search, read,
 * export and resend is written to the audit log before the data leaves, so a read that cannot be
 * audited is refused (503) rather than served unrecorded.
 */
export function helpdeskMount(options: HelpdeskOptions): Mount {
  const { users, accounts, transcripts, audit, clock, logger } = options;
  if (users.length === 0) return () => logger.info('HELPDESK_USERS absent : console d’assistance désactivée');

  const zone = options.timeZone ?? 'Europe/Paris';
  const agentDomains = users.flatMap((u) => u.domains ?? []);
  const scopes = new Map(
    users.map((u) => [
      u.login,
      u.domains
        ? AgentScope.within(u.domains, options.domainsOfAcademie)
        : AgentScope.everywhere(options.domainsOfAcademie),
    ]),
  );
  const checkCredentials = createBasicAuth({
    users,
    hasher: options.hasher ?? createArgon2Hasher(),
    limiter: options.limiter,
    failures: audit,
    trustProxy: options.trustProxy ?? false,
    now: () => clock.now().getTime(),
  });
  /** Redis down while counting failures: the console could not audit anyway, so 503 rather than open. */
  const authenticate = async (req: Request): Promise<AuthResult | 'unavailable'> => {
    try {
      return await checkCredentials(req);
    } catch (error) {
      if (!isAppError(error, 'STORE_UNAVAILABLE')) throw error;
      logger.error({ err: { message: error.message } }, 'console d’assistance : stockage indisponible');
      return 'unavailable';
    }
  };
  const csrfKey = options.csrfKey ?? randomBytes(32).toString('base64url');
  const csrfToken = (login: string) =>
    createHmac('sha256', csrfKey).update(`helpdesk-csrf:${login}`).digest('base64url');
  const publicOrigin = options.publicBaseUrl ? new URL(options.publicBaseUrl).origin : undefined;

  /** Every entry says who acted and within which domains (absent: every académie). */
  const record = ({ login, scope }: Pick<Context, 'login' | 'scope'>, action: AuditAction, target: string) =>
    audit.record({
      at: clock.now().toISOString(),
      login,
      action,
      target,
      ...(scope.domains ? { scope: scope.domains } : {}),
    });

  /**
   * Every refusal of the console, page or JSON, through the edge's one mapper. A page always leads on: to
   * `links` when the route knows where the agent came from, to the search otherwise.
   */
  const fail = (
    res: Response,
    kind: Kind,
    error: AppError,
    headers: Record<string, string> = {},
    links: readonly Link[] = [backToSearch()],
  ) => {
    if (kind === 'api') sendJsonError(res, error, headers);
    else sendErrorPage(res, error, (a) => messagePage(a.title, a.message, links), headers);
  };
  /** A store failure on a page the agent can simply ask for again. */
  const unavailable = (req: Request, res: Response, kind: Kind) =>
    fail(res, kind, refusal('STORE_UNAVAILABLE', 'helpdesk.errors.unavailable'), {}, [
      ...(req.method === 'GET' ? [retryLink(req)] : []),
      backToSearch(),
    ]);

  /** Authentication, then the handler; store failures become a French 503 rather than a bare 500. */
  const guarded =
    (kind: Kind, handler: (ctx: Context) => Promise<void>) => async (req: Request, res: Response) => {
      const auth = await authenticate(req);
      if (auth === 'unavailable') return unavailable(req, res, kind);
      if (auth.kind === 'limited') {
        logger.warn({ route: req.getRoute()?.path }, 'console d’assistance : identification bloquée');
        return fail(
          res,
          kind,
          refusal('TOO_MANY_ATTEMPTS', 'helpdesk.auth.tooMany', { retryAfterMs: auth.retryAfterMs }),
        );
      }
      if (auth.kind === 'refused')
        return fail(res, kind, refusal('UNAUTHENTICATED', 'helpdesk.auth.required'), {
          'WWW-Authenticate': REALM,
        });
      const ctx = { req, res, login: auth.login, scope: scopes.get(auth.login) ?? AgentScope.within([]) };
      try {
        try {
          await handler(ctx);
        } catch (error) {
          // Outside the agent's académies: the attempt is audited, then refused (403).
          if (!isAppError(error, 'OUT_OF_SCOPE') || res.headersSent) throw error;
          await record(ctx, 'scope.refused', String(error.data?.target ?? ''));
          return fail(res, kind, error);
        }
      } catch (error) {
        if (res.headersSent) throw error;
        if (isAppError(error, 'STORE_UNAVAILABLE')) {
          logger.error({ err: { message: error.message } }, 'console d’assistance : stockage indisponible');
          return unavailable(req, res, kind);
        }
        if (isAppError(error, 'ACCOUNT_WINDOW_CLOSED'))
          return fail(res, kind, refusal('ACCOUNT_WINDOW_CLOSED', 'helpdesk.errors.windowClosed'));
        // The shared body reader's refusals (wrong type, too big); a client gone mid-body gets nothing.
        if (isAppError(error, 'CLIENT_GONE')) return;
        if (isAppError(error) && error.status < 500) return fail(res, kind, error);
        throw error;
      }
    };

  /**
   * Cross-site requests, as browsers label them. Tools (curl, scripts) send no Sec-Fetch-Site and are
   * judged by their credentials alone; a browser always sends it (Chromium, Firefox, Safari 16.4+).
   */
  const crossSite = (req: IncomingMessage): boolean => {
    const site = req.headers['sec-fetch-site'];
    return site !== undefined && site !== 'same-origin' && site !== 'none';
  };
  /**
   * The JSON API's writes: not cross-site, and an Origin, when sent, is ours. A browser's cross-site form
   * could otherwise ride on the Basic credentials it remembers.
   */
  const apiWriteAllowed = (req: IncomingMessage): boolean => {
    if (crossSite(req)) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const host = req.headers.host;
    return (
      origin === publicOrigin ||
      (host !== undefined && [`http://${host}`, `https://${host}`].includes(origin))
    );
  };

  /**
   * A console form (POST): not cross-site, and carrying the token of the page that showed it, bound to the
   * agent's login. Not the Origin header: under the pages' own `Referrer-Policy: no-referrer`, Chromium
   * posts same-origin forms with `Origin: null`, which an Origin check would refuse.
   */
  const consoleForm = (handler: (ctx: FormContext) => Promise<void>, maxBytes = MAX_FORM_BYTES) =>
    guarded('page', async (ctx) => {
      const form = await readForm(ctx.req, maxBytes);
      if (crossSite(ctx.req) || !sameToken(form.get('csrf') ?? '', csrfToken(ctx.login)))
        return fail(ctx.res, 'page', refusal('FORBIDDEN', 'helpdesk.errors.forbidden'), {}, formLinks(form));
      await handler({ ...ctx, form });
    });

  const idsOf = (req: Request) => {
    const params = (req.params ?? {}) as Record<string, unknown>;
    const channelId = idSchema.safeParse(params.channelId);
    const conversationId = idSchema.safeParse(params.conversationId);
    return channelId.success && conversationId.success
      ? { channelId: channelId.data, conversationId: conversationId.data }
      : undefined;
  };

  /**
   * The conversation's summary, or undefined when it is not (or no longer) stored; OUT_OF_SCOPE when it is
   * outside the agent's académies. 403 rather than « not found »: the agent holds a link (a colleague's,
   * an old bookmark) and learns whom to hand it to; the ids are random, so the answer tells nothing else,
   * and the attempt is audited.
   */
  const scopedSummary = async ({ scope }: Context, channelId: string, conversationId: string) => {
    const summary = await transcripts.summary(channelId, conversationId);
    if (summary) scope.require(summary, `${channelId}/${conversationId}`);
    return summary ?? undefined;
  };

  /** Shared by the API and the form: the outcome, already audited when a mail left. */
  const resend = async (ctx: Context, email: string) => {
    ctx.scope.require(email, `email:${email}`);
    let result: Awaited<ReturnType<HelpdeskAccounts['resend']>>;
    try {
      result = await accounts.resend(email);
    } catch (error) {
      // Answered like the other refusals, so that the form's page leads back to where the agent was.
      if (isAppError(error, 'ACCOUNT_WINDOW_CLOSED'))
        return refusal('ACCOUNT_WINDOW_CLOSED', 'helpdesk.errors.windowClosed');
      // The account service's budget per address (RULES.resendPerAddress), shared by every instance.
      if (!isAppError(error, 'RATE_LIMITED')) throw error;
      await record(ctx, 'account.resend.limited', `email:${email}`);
      return refusal('TOO_MANY_RESENDS', 'helpdesk.errors.resendTooMany', {
        retryAfterMs: Number(error.data?.retryAfterMs ?? 0),
      });
    }
    // A refusal tells the agent the account's status: it is audited too.
    await record(ctx, 'account.resend', `email:${email}`);
    if (result.outcome === 'confirmed')
      return refusal('ALREADY_CONFIRMED', 'helpdesk.errors.alreadyConfirmed');
    if (result.outcome !== 'resent') return refusal('NO_PENDING_ACCOUNT', 'helpdesk.errors.noPendingAccount');
    return { linkExpiresAt: result.linkExpiresAt };
  };

  /** Shared by the API and the form: the number of requests cancelled, audited before the change. */
  const cancel = async (ctx: Context, email: string) => {
    ctx.scope.require(email, `email:${email}`);
    await record(ctx, 'account.cancel', `email:${email}`);
    const result = await accounts.cancel(email);
    if (result.outcome === 'confirmed')
      return refusal('ALREADY_CONFIRMED', 'helpdesk.errors.alreadyConfirmed');
    if (result.outcome !== 'cancelled')
      return refusal('NO_PENDING_ACCOUNT', 'helpdesk.errors.noPendingAccount');
    return { count: result.count };
  };

  // ---- JSON API ----

  // A search outside the agent's académies is not refused: it finds nothing there (results are filtered,
  // silently, like a search that matched nothing). It is audited with the agent's scope like any other.
  const apiConversations = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    const criterion = parseSearch((req.query ?? {}) as Record<string, unknown>);
    if (!criterion) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.missingCriterion'));
    if (!criterion.ok) return fail(res, 'api', refusal('BAD_REQUEST', criterion.messageKey));
    const c = criterion.value;
    await record(ctx, 'search', 'email' in c ? `email:${c.email}` : `day:${c.day}`);
    sendJson(res, 200, await search(c, transcripts, accounts, ctx.scope));
  });

  const apiTranscript = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    const ids = idsOf(req);
    if (!ids) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.conversation'));
    const summary = await scopedSummary(ctx, ids.channelId, ids.conversationId);
    if (!summary) return fail(res, 'api', refusal('NOT_FOUND', 'helpdesk.errors.notFound'));
    await record(ctx, 'transcript.export', `${ids.channelId}/${ids.conversationId}`);
    const activities = await transcripts.activities(ids.channelId, ids.conversationId);
    sendJson(res, 200, activities, {
      'Content-Disposition': `attachment; filename="${transcriptFileName(ids.channelId, ids.conversationId)}"`,
    });
  });

  const apiResend = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    if (!apiWriteAllowed(req)) return fail(res, 'api', refusal('FORBIDDEN', 'helpdesk.errors.forbidden'));
    const email = emailSchema.safeParse((req.params as Record<string, unknown> | undefined)?.email);
    if (!email.success) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.email'));
    const outcome = await resend(ctx, email.data);
    if (outcome instanceof AppError) return fail(res, 'api', outcome);
    sendJson(res, 202, {
      status: 'resent',
      email: email.data,
      linkExpiresAt: outcome.linkExpiresAt?.toISOString(),
    });
  });

  const apiCancel = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    if (!apiWriteAllowed(req)) return fail(res, 'api', refusal('FORBIDDEN', 'helpdesk.errors.forbidden'));
    const email = emailSchema.safeParse((req.params as Record<string, unknown> | undefined)?.email);
    if (!email.success) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.email'));
    const outcome = await cancel(ctx, email.data);
    if (outcome instanceof AppError) return fail(res, 'api', outcome);
    sendJson(res, 200, { status: 'cancelled', email: email.data, cancelledRequests: outcome.count });
  });

  /** Deletion of one teacher's transcripts on request (retention rights); audited before it happens. */
  const apiDeleteTranscripts = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    if (!apiWriteAllowed(req)) return fail(res, 'api', refusal('FORBIDDEN', 'helpdesk.errors.forbidden'));
    const email = emailSchema.safeParse((req.query as Record<string, unknown> | undefined)?.email);
    if (!email.success) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.email'));
    ctx.scope.require(email.data, `email:${email.data}`);
    await record(ctx, 'transcripts.delete', `email:${email.data}`);
    const deleted = await transcripts.deleteByEmail(email.data);
    sendJson(res, 200, { email: email.data, deletedConversations: deleted });
  });

  const apiAudit = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    const query = auditQuery.safeParse(req.query ?? {});
    if (!query.success) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.auditQuery'));
    const { limit, before } = query.data;
    await record(ctx, 'audit.read', `limit:${limit}${before ? ` before:${before}` : ''}`);
    const page = await audit.page({ limit, ...(before ? { before: Date.parse(before) } : {}) });
    const next = page.next === undefined ? undefined : new Date(page.next).toISOString();
    sendJson(
      res,
      200,
      visibleRecords(ctx.scope, page.records),
      next
        ? { Link: `</helpdesk/api/audit?limit=${limit}&before=${encodeURIComponent(next)}>; rel="next"` }
        : {},
    );
  });

  // ---- Pages ----

  const searchRoute = guarded('page', async (ctx) => {
    const { req, res } = ctx;
    const page = { timeZone: zone, ...(ctx.scope.domains ? { scope: ctx.scope.domains } : {}) };
    const query = (req.query ?? {}) as Record<string, unknown>;
    const typed = {
      ...(typeof query.email === 'string' ? { email: query.email } : {}),
      ...(typeof query.day === 'string' ? { day: query.day } : {}),
    };
    const criterion = parseSearch(query, { days: 'french' });
    if (!criterion) return sendHtml(res, 200, searchPage(page));
    if (!criterion.ok) {
      const problem = { message: t(criterion.messageKey), field: problemField(criterion.messageKey) };
      return sendHtml(res, 400, searchPage({ ...typed, problem, ...page }));
    }
    const c = criterion.value;
    await record(ctx, 'search', 'email' in c ? `email:${c.email}` : `day:${c.day}`);
    const rows = await search(c, transcripts, accounts, ctx.scope);
    sendHtml(
      res,
      200,
      searchPage({ ...c, results: { criterion: 'email' in c ? 'email' : 'day', rows }, ...page }),
    );
  });

  const transcriptRoute = guarded('page', async (ctx) => {
    const { req, res, login } = ctx;
    const ids = idsOf(req);
    if (!ids) return fail(res, 'page', refusal('BAD_REQUEST', 'helpdesk.errors.conversation'));
    const summary = await scopedSummary(ctx, ids.channelId, ids.conversationId);
    if (!summary) return fail(res, 'page', refusal('NOT_FOUND', 'helpdesk.errors.notFound'));
    const [row] = await describe([summary], accounts);
    if (!row) return fail(res, 'page', refusal('NOT_FOUND', 'helpdesk.errors.notFound'));
    await record(ctx, 'transcript.read', `${ids.channelId}/${ids.conversationId}`);
    const activities = await transcripts.activities(ids.channelId, ids.conversationId);
    sendHtml(
      res,
      200,
      transcriptPage({ row, activities, timeZone: zone, now: clock.now(), csrfToken: csrfToken(login) }),
    );
  });

  const resendForm = consoleForm(async (ctx) => {
    const { res, form } = ctx;
    const email = emailSchema.safeParse(form.get('email'));
    const back = formLinks(form);
    if (!email.success) return fail(res, 'page', refusal('BAD_REQUEST', 'helpdesk.errors.badForm'), {}, back);
    const outcome = await resend(ctx, email.data);
    if (outcome instanceof AppError)
      return sendErrorPage(res, outcome, (a) =>
        messagePage(t('helpdesk.resend.failedTitle'), a.message, back),
      );
    const done = outcome.linkExpiresAt
      ? t('helpdesk.resend.done', {
          email: email.data,
          expires: formatDateTimeFr(outcome.linkExpiresAt, zone),
        })
      : t('helpdesk.resend.doneShort', { email: email.data });
    sendHtml(res, 202, messagePage(t('helpdesk.resend.doneTitle'), done, back));
  });

  const cancelForm = consoleForm(async (ctx) => {
    const { res, form } = ctx;
    const email = emailSchema.safeParse(form.get('email'));
    const back = formLinks(form);
    if (!email.success) return fail(res, 'page', refusal('BAD_REQUEST', 'helpdesk.errors.badForm'), {}, back);
    const outcome = await cancel(ctx, email.data);
    if (outcome instanceof AppError)
      return sendErrorPage(res, outcome, (a) =>
        messagePage(t('helpdesk.cancel.failedTitle'), a.message, back),
      );
    sendHtml(
      res,
      200,
      messagePage(
        t('helpdesk.cancel.doneTitle'),
        outcome.count === 1
          ? t('helpdesk.cancel.doneOne', { email: email.data })
          : t('helpdesk.cancel.doneMany', { email: email.data, count: outcome.count }),
        back,
      ),
    );
  });

  const auditRoute = guarded('page', async (ctx) => {
    const { req, res } = ctx;
    // A hand-edited cursor shows the newest entries rather than an error page.
    const before = auditQuery.shape.before.safeParse(
      (req.query as Record<string, unknown> | undefined)?.before,
    );
    const from = before.success ? before.data : undefined;
    await record(ctx, 'audit.read', `limit:200${from ? ` before:${from}` : ''}`);
    const page = await audit.page({ limit: 200, ...(from ? { before: Date.parse(from) } : {}) });
    sendHtml(res, 200, auditPage({ ...page, records: visibleRecords(ctx.scope, page.records) }, zone, from));
  });

  // ---- Statistics ----

  const statsDays = z.coerce.number().int().min(1).max(90).default(14);
  /** `?domain=`: one mail domain; empty (the form's « all » choice) is none. */
  const statsDomain = (query: Record<string, unknown> | undefined): string | undefined | 'invalid' => {
    const raw = query?.domain;
    if (raw === undefined || raw === '') return undefined;
    const domain = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    return isMailDomain(domain) ? domain : 'invalid';
  };
  /**
   * Everything the page and the API show, for the last `days` Paris days, today included. An agent of
   * every académie who picks no domain gets the national figures (mails, intents and misunderstood
   * messages too: those are not counted per académie). Otherwise the figures are the accounts of the
   * domains picked — the one asked for, or every domain of the agent's scope; a domain outside the scope
   * is refused (OUT_OF_SCOPE), before the reading is audited.
   */
  const statistics = async (ctx: Context, reader: StatsReader, days: number, domain: string | undefined) => {
    const { scope } = ctx;
    if (domain !== undefined && !scope.allowsDomain(domain)) throw outOfScope(scope, `domain:${domain}`);
    await record(ctx, 'stats.read', `days:${days}${domain ? ` domain:${domain}` : ''}`);
    const now = clock.now();
    const to = dayOf(now, zone);
    const from = addDays(to, 1 - days);
    const byDomain = await reader.accountsByDomain(from, to);
    /** The domains with accounts in the period that the agent may pick. */
    const domainsSeen = [...new Set(byDomain.flatMap((d) => [...d.domains.keys()]))]
      .filter((d) => scope.allowsDomain(d))
      .sort();
    const picked = domain !== undefined ? [domain] : scope.domains;
    if (!picked) {
      const [daily, pendingOver24h, intents, misunderstood] = await Promise.all([
        reader.daily(from, to),
        reader.pendingOlderThan(PENDING_ALERT_MS, now),
        reader.topIntents(days, TOP_INTENTS),
        reader.recentMisunderstood(MISUNDERSTOOD_SHOWN),
      ]);
      return { from, to, days, daily, pendingOver24h, intents, misunderstood, domainsSeen };
    }
    const daily = byDomain.map(({ day, domains }): AccountsDay => {
      const counts = picked.map((d) => domains.get(d));
      return {
        day,
        accountsCreated: counts.reduce((n, c) => n + (c?.accountsCreated ?? 0), 0),
        accountsConfirmed: counts.reduce((n, c) => n + (c?.accountsConfirmed ?? 0), 0),
      };
    });
    const pendingOver24h = await reader.pendingInDomains(picked, PENDING_ALERT_MS, now);
    return { from, to, days, domains: picked, daily, pendingOver24h, domainsSeen };
  };

  const apiStats = guarded('api', async (ctx) => {
    const { req, res } = ctx;
    if (!options.stats) return fail(res, 'api', refusal('STATS_UNAVAILABLE', 'helpdesk.stats.unavailable'));
    const query = req.query as Record<string, unknown> | undefined;
    const days = statsDays.safeParse(query?.days);
    if (!days.success) return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.days'));
    const domain = statsDomain(query);
    if (domain === 'invalid') return fail(res, 'api', refusal('BAD_REQUEST', 'helpdesk.errors.domain'));
    sendJson(res, 200, await statistics(ctx, options.stats, days.data, domain));
  });

  const statsRoute = guarded('page', async (ctx) => {
    const { req, res, scope } = ctx;
    if (!options.stats) return sendHtml(res, 200, statsUnavailablePage());
    const query = req.query as Record<string, unknown> | undefined;
    const parsed = statsDays.safeParse(query?.days);
    // A hand-edited URL falls back to the default period, and to every domain, rather than an error page.
    const days = parsed.success ? parsed.data : 14;
    const asked = statsDomain(query);
    const domain = asked === 'invalid' ? undefined : asked;
    const figures = await statistics(ctx, options.stats, days, domain);
    sendHtml(
      res,
      200,
      statsPage({
        ...figures,
        timeZone: zone,
        filter: {
          ...(domain !== undefined ? { picked: domain } : {}),
          ...(scope.domains ? { scope: scope.domains } : {}),
          // For an agent of every académie: the domains with accounts in the period, or with agents.
          choices:
            scope.domains ??
            [...new Set([...figures.domainsSeen, ...agentDomains, ...(domain ? [domain] : [])])].sort(),
        },
      }),
    );
  });

  const notFound = (kind: Kind) =>
    guarded(kind, async ({ res }) => fail(res, kind, refusal('NOT_FOUND', 'helpdesk.errors.pageNotFound')));

  const css = guarded('page', async ({ res }) => {
    res.writeHead(200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(CSS);
  });

  const handoffs = options.handoffs
    ? handoffRoutes(
        {
          guarded,
          consoleForm,
          apiWriteAllowed,
          record,
          fail: (res, kind, error) => fail(res, kind, error),
          csrfToken,
          clock,
          timeZone: zone,
        },
        options.handoffs,
      )
    : undefined;
  const handoffScript = guarded('page', async ({ res }) => {
    res.writeHead(200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(HANDOFF_JS);
  });

  return (server) => {
    if (handoffs) {
      server.get('/helpdesk/handoffs', handoffs.listPage);
      server.get('/helpdesk/handoffs/:channelId/:conversationId', handoffs.conversationPage);
      server.post('/helpdesk/handoffs/take', handoffs.takeForm);
      server.post('/helpdesk/handoffs/reply', handoffs.replyForm);
      server.post('/helpdesk/handoffs/end', handoffs.endForm);
      server.get(HANDOFF_SCRIPT_URL, handoffScript);
      server.get('/helpdesk/api/handoffs', handoffs.apiList);
      server.post('/helpdesk/api/handoffs/:channelId/:conversationId/take', handoffs.apiTake);
      server.post('/helpdesk/api/handoffs/:channelId/:conversationId/messages', handoffs.apiWrite);
      server.get('/helpdesk/api/handoffs/:channelId/:conversationId/messages', handoffs.apiMessages);
      server.post('/helpdesk/api/handoffs/:channelId/:conversationId/end', handoffs.apiEnd);
    }
    server.get('/helpdesk', searchRoute);
    server.get('/helpdesk/transcripts/:channelId/:conversationId', transcriptRoute);
    server.post('/helpdesk/resend', resendForm);
    server.post('/helpdesk/cancel', cancelForm);
    server.get('/helpdesk/audit', auditRoute);
    server.get('/helpdesk/stats', statsRoute);
    server.get(CSS_URL, css);
    server.get('/helpdesk/api/conversations', apiConversations);
    server.get('/helpdesk/api/transcripts/:channelId/:conversationId', apiTranscript);
    server.post('/helpdesk/api/accounts/:email/resend', apiResend);
    server.post('/helpdesk/api/accounts/:email/cancel', apiCancel);
    server.del('/helpdesk/api/transcripts', apiDeleteTranscripts);
    server.get('/helpdesk/api/audit', apiAudit);
    server.get('/helpdesk/api/stats', apiStats);
    server.get('/helpdesk/', searchRoute);
    // Unknown console paths answer 401 before 404: without credentials, nothing tells which paths exist.
    server.get('/helpdesk/*', notFound('page'));
    server.get('/helpdesk/api/*', notFound('api'));
    logger.info({ users: users.length }, 'console d’assistance montée sur /helpdesk');
  };
}

function backToSearch(): Link {
  return { href: '/helpdesk', text: t('helpdesk.nav.search') };
}

/** The same page again (a GET): its path and query as asked, on this console only. */
function retryLink(req: IncomingMessage): Link {
  const url = req.url ?? '/helpdesk';
  return { href: url.startsWith('/helpdesk') ? url : '/helpdesk', text: t('helpdesk.back.retry') };
}

/** A console path the form says it was sent from: a conversation page, nothing else (no open redirect). */
const FROM_PATH = /^\/helpdesk\/transcripts\/[^/?#\\]+\/[^/?#\\]+$/;

/**
 * Where an agent goes from the answer to a console form: back to the conversation the form was on, and to
 * the conversations of its address; the search when the form says neither.
 */
function formLinks(form: URLSearchParams): Link[] {
  const links: Link[] = [];
  const from = form.get('from') ?? '';
  if (FROM_PATH.test(from) && from.length <= 1200)
    links.push({ href: from, text: t('helpdesk.back.conversation') });
  const email = emailSchema.safeParse(form.get('email'));
  if (email.success)
    links.push({
      href: `/helpdesk?email=${encodeURIComponent(email.data)}`,
      text: t('helpdesk.resend.back'),
    });
  return links.length > 0 ? links : [backToSearch()];
}

/** Only characters every file system and the Emulator accept; the ids themselves are in the file. */
function transcriptFileName(channelId: string, conversationId: string): string {
  const safe = `${channelId}-${conversationId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
  return `${safe}.transcript`;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
