import type { Request, Response } from 'restify';
import type { Clock } from '../../clock';
import type { ConversationRefJson } from '../../domain/accounts/ports';
import type { AuditAction } from '../../domain/audit/ports';
import { formatDateTimeFr } from '../../domain/calendar/format';
import type { Handoff, HandoffMessage, HandoffStore } from '../../domain/handoff/ports';
import type { AgentScope } from '../../domain/helpdesk/scope';
import type { HandoffEventValue } from '../../domain/turns/activity-names';
import { AppError, type ErrorCode, isAppError } from '../../errors';
import { t } from '../../i18n';
import { readJson } from '../body';
import { sendHtml, sendJson } from '../respond';
import { HANDOFF_PAGE_CSP, handoffListPage, handoffPage, handoffPath } from './handoff-pages';
import { idSchema } from './search';

/** What the console's live side needs: the shared queue, and a way to speak in the teacher's conversation. */
export interface HandoffConsole {
  readonly store: HandoffStore;
  /** Runs the handoff event in the conversation (a proactive turn); throws CHANNEL_UNAVAILABLE when it failed. */
  readonly tell: (conversation: ConversationRefJson, value: HandoffEventValue) => Promise<void>;
}

/** The console's own tools, lent by helpdeskMount (authentication, CSRF, audit, refusals). */
export interface ConsoleKit {
  readonly guarded: (
    kind: 'api' | 'page',
    handler: (ctx: AgentContext) => Promise<void>,
  ) => (req: Request, res: Response) => Promise<void>;
  readonly consoleForm: (
    handler: (ctx: AgentContext & { form: URLSearchParams }) => Promise<void>,
    maxBytes?: number,
  ) => (req: Request, res: Response) => Promise<void>;
  readonly apiWriteAllowed: (req: Request) => boolean;
  readonly record: (ctx: AgentContext, action: AuditAction, target: string) => Promise<void>;
  readonly fail: (res: Response, kind: 'api' | 'page', error: AppError) => void;
  readonly csrfToken: (login: string) => string;
  readonly clock: Clock;
  readonly timeZone: string;
}

export interface AgentContext {
  readonly req: Request;
  readonly res: Response;
  readonly login: string;
  readonly scope: AgentScope;
}

/** An agent's message: what a chat message may hold, no more (URL-encoded French is up to 6 bytes a character). */
const MAX_AGENT_TEXT = 2000;
const MAX_JSON_BYTES = 16 * 1024;
const MAX_FORM_BYTES = 16 * 1024;

const refusal = (code: ErrorCode, key: string) => new AppError(code, key, undefined, { key });

/**
 * The live handoff (issue 15), agent side: the queue the agent's scope allows, taking a conversation,
 * writing to the teacher, reading the teacher's new messages, ending. The same actions as JSON
 * (`/helpdesk/api/handoffs…`, Basic auth) and as pages with forms (no script needed; a script, when it
 * runs, polls the same API into a live region). Every take, message and end is audited before it happens.
 */
export function handoffRoutes(kit: ConsoleKit, live: HandoffConsole) {
  const { store } = live;
  const now = () => kit.clock.now().getTime();

  /** The handoff of the route's ids within the agent's scope; a refusal (404, 403 audited) otherwise. */
  const find = async (ctx: AgentContext, ids: { channelId?: unknown; conversationId?: unknown }) => {
    const channelId = idSchema.safeParse(ids.channelId);
    const conversationId = idSchema.safeParse(ids.conversationId);
    if (!channelId.success || !conversationId.success)
      return refusal('BAD_REQUEST', 'helpdesk.errors.conversation');
    const handoff = await store.get(channelId.data, conversationId.data);
    if (!handoff) return refusal('NOT_FOUND', 'helpdesk.errors.notFound');
    ctx.scope.require(handoff, `handoff:${handoff.channelId}/${handoff.conversationId}`);
    return handoff;
  };
  const target = (h: Handoff) => `${h.channelId}/${h.conversationId}`;
  /**
   * Tells the conversation; false when its channel could not be reached. The store has already changed
   * and stays the truth: the conversation catches up at the teacher's next message (dialogs/handoff.ts).
   */
  const told = (handoff: Handoff, value: HandoffEventValue) =>
    live.tell(handoff.conversation, value).then(
      () => true,
      (error: unknown) => {
        if (isAppError(error, 'CHANNEL_UNAVAILABLE')) return false;
        throw error;
      },
    );

  const take = async (ctx: AgentContext, handoff: Handoff): Promise<AppError | undefined> => {
    await kit.record(ctx, 'handoff.take', target(handoff));
    const outcome = await store.take(handoff.channelId, handoff.conversationId, ctx.login, now());
    if (outcome === 'gone') return refusal('NOT_FOUND', 'helpdesk.errors.notFound');
    if (outcome === 'not-waiting') return refusal('HANDOFF_CONFLICT', 'errors.handoffConflict');
    await told(handoff, { kind: 'taken' });
    return undefined;
  };

  const write = async (ctx: AgentContext, handoff: Handoff, raw: unknown) => {
    if (handoff.status !== 'taken' || handoff.agent !== ctx.login)
      return refusal('HANDOFF_CONFLICT', 'errors.handoffConflict');
    const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    if (!text || text.length > MAX_AGENT_TEXT) return refusal('BAD_REQUEST', 'helpdesk.handoffs.badText');
    await kit.record(ctx, 'handoff.message', target(handoff));
    const cursor = await store.append(handoff.channelId, handoff.conversationId, {
      at: now(),
      from: 'agent',
      text,
      agent: ctx.login,
    });
    // Not said: the agent is told (502) and may send it again; the thread keeps what was written.
    if (!(await told(handoff, { kind: 'message', text })))
      return refusal('CHANNEL_UNAVAILABLE', 'errors.channelUnavailable');
    return { cursor };
  };

  const end = async (ctx: AgentContext, handoff: Handoff): Promise<AppError | undefined> => {
    if (handoff.status === 'taken' && handoff.agent !== ctx.login)
      return refusal('HANDOFF_CONFLICT', 'errors.handoffConflict');
    await kit.record(ctx, 'handoff.end', target(handoff));
    const ended = await store.end(handoff.channelId, handoff.conversationId);
    if (!ended) return refusal('NOT_FOUND', 'helpdesk.errors.notFound');
    await told(handoff, { kind: 'ended' });
    return undefined;
  };

  const messageJson = (m: HandoffMessage) => ({
    cursor: m.cursor,
    at: new Date(m.at).toISOString(),
    from: m.from,
    text: m.text,
    ...(m.agent ? { agent: m.agent } : {}),
    // For the page's script: the same words the page writes.
    who:
      m.from === 'agent'
        ? t('helpdesk.handoffs.from.agent', { agent: m.agent ?? '?' })
        : t(`helpdesk.handoffs.from.${m.from}`),
    when: formatDateTimeFr(new Date(m.at), kit.timeZone),
  });

  const params = (req: Request) => (req.params ?? {}) as Record<string, unknown>;
  const seeOther = (res: Response, location: string) => {
    res.writeHead(303, { Location: location });
    res.end();
  };

  /** A write of the JSON API on the handoff of the route's ids: same-site, in scope, then `act`. */
  const apiAction = (act: (ctx: AgentContext, handoff: Handoff) => Promise<void>) =>
    kit.guarded('api', async (ctx) => {
      if (!kit.apiWriteAllowed(ctx.req))
        return kit.fail(ctx.res, 'api', refusal('FORBIDDEN', 'helpdesk.errors.forbidden'));
      const handoff = await find(ctx, params(ctx.req));
      if (handoff instanceof AppError) return kit.fail(ctx.res, 'api', handoff);
      await act(ctx, handoff);
    });

  /** A console form on the handoff its hidden fields name (CSRF checked by consoleForm), then `act`. */
  const formAction = (
    act: (ctx: AgentContext & { form: URLSearchParams }, handoff: Handoff) => Promise<void>,
    maxBytes?: number,
  ) =>
    kit.consoleForm(async (ctx) => {
      const handoff = await find(ctx, {
        channelId: ctx.form.get('channelId'),
        conversationId: ctx.form.get('conversationId'),
      });
      if (handoff instanceof AppError) return kit.fail(ctx.res, 'page', handoff);
      await act(ctx, handoff);
    }, maxBytes);

  /** The exchange's page, with the problem of a refused reply when there is one. */
  const showPage = async (ctx: AgentContext, handoff: Handoff, status = 200, problem?: string) => {
    const messages = await store.messages(handoff.channelId, handoff.conversationId);
    sendHtml(
      ctx.res,
      status,
      handoffPage({
        handoff,
        messages,
        login: ctx.login,
        csrf: kit.csrfToken(ctx.login),
        timeZone: kit.timeZone,
        ...(problem ? { problem } : {}),
      }),
      { 'Content-Security-Policy': HANDOFF_PAGE_CSP },
    );
  };

  return {
    apiList: kit.guarded('api', async (ctx) => {
      const handoffs = ctx.scope.visible(await store.list());
      sendJson(
        ctx.res,
        200,
        handoffs.map((h) => ({
          channelId: h.channelId,
          conversationId: h.conversationId,
          status: h.status,
          since: new Date(h.since).toISOString(),
          ...(h.agent ? { agent: h.agent } : {}),
          ...(h.email ? { email: h.email } : {}),
          ...(h.academie ? { academie: h.academie } : {}),
          ...(h.outsideHours ? { outsideHours: true } : {}),
        })),
      );
    }),

    apiTake: apiAction(async (ctx, handoff) => {
      const refused = await take(ctx, handoff);
      if (refused) return kit.fail(ctx.res, 'api', refused);
      sendJson(ctx.res, 200, { status: 'taken', agent: ctx.login });
    }),

    apiWrite: apiAction(async (ctx, handoff) => {
      const body = await readJson(ctx.req, MAX_JSON_BYTES);
      const text =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).text : undefined;
      const written = await write(ctx, handoff, text);
      if (written instanceof AppError) return kit.fail(ctx.res, 'api', written);
      sendJson(ctx.res, 202, { status: 'sent', cursor: written.cursor });
    }),

    apiEnd: apiAction(async (ctx, handoff) => {
      const refused = await end(ctx, handoff);
      if (refused) return kit.fail(ctx.res, 'api', refused);
      sendJson(ctx.res, 200, { status: 'ended' });
    }),

    apiMessages: kit.guarded('api', async (ctx) => {
      const handoff = await find(ctx, params(ctx.req));
      if (handoff instanceof AppError) return kit.fail(ctx.res, 'api', handoff);
      const after = (ctx.req.query as Record<string, unknown> | undefined)?.after;
      const messages = await store.messages(
        handoff.channelId,
        handoff.conversationId,
        typeof after === 'string' && after.length <= 64 ? after : undefined,
      );
      sendJson(ctx.res, 200, messages.map(messageJson));
    }),

    listPage: kit.guarded('page', async (ctx) => {
      const handoffs = ctx.scope.visible(await store.list());
      sendHtml(
        ctx.res,
        200,
        handoffListPage({
          handoffs,
          login: ctx.login,
          csrf: kit.csrfToken(ctx.login),
          timeZone: kit.timeZone,
        }),
        { 'Content-Security-Policy': HANDOFF_PAGE_CSP },
      );
    }),

    conversationPage: kit.guarded('page', async (ctx) => {
      const handoff = await find(ctx, params(ctx.req));
      if (handoff instanceof AppError) {
        if (handoff.code === 'NOT_FOUND')
          return kit.fail(ctx.res, 'page', refusal('NOT_FOUND', 'helpdesk.handoffs.ended'));
        return kit.fail(ctx.res, 'page', handoff);
      }
      await showPage(ctx, handoff);
    }),

    takeForm: formAction(async (ctx, handoff) => {
      const refused = await take(ctx, handoff);
      if (refused) return kit.fail(ctx.res, 'page', refused);
      seeOther(ctx.res, handoffPath(handoff.channelId, handoff.conversationId));
    }),

    // A refused reply shows the page again with the reason (the body's size: French text is long encoded).
    replyForm: formAction(async (ctx, handoff) => {
      const written = await write(ctx, handoff, ctx.form.get('text') ?? '');
      if (!(written instanceof AppError))
        return seeOther(ctx.res, handoffPath(handoff.channelId, handoff.conversationId));
      if (written.code === 'BAD_REQUEST') return showPage(ctx, handoff, 400, t('helpdesk.handoffs.badText'));
      if (written.code === 'CHANNEL_UNAVAILABLE')
        return showPage(ctx, handoff, written.status, t('errors.channelUnavailable'));
      kit.fail(ctx.res, 'page', written);
    }, MAX_FORM_BYTES),

    endForm: formAction(async (ctx, handoff) => {
      const refused = await end(ctx, handoff);
      if (refused) return kit.fail(ctx.res, 'page', refused);
      seeOther(ctx.res, '/helpdesk/handoffs');
    }),
  };
}
