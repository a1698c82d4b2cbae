import type { Request, Response } from 'restify';
import type { AccountService } from '../domain/accounts/account-service';
import type { ConfirmOutcome, LinkInspection } from '../domain/accounts/ports';
import type { ElectionCalendar } from '../domain/calendar/calendar';
import { formatDateTimeFr } from '../domain/calendar/format';
import { type RateLimiter, retryAfterSeconds } from '../domain/limits/rate-limiter';
import { RULES } from '../domain/limits/rules';
import { formatWaitFr } from '../domain/limits/wait';
import { isAppError } from '../errors';
import type { Logger } from '../log';
import { readForm } from './body';
import { clientAddress } from './client-address';
import {
  type ClosedPage,
  CONFIRMATION_CSS,
  CONFIRMATION_CSS_PATH,
  FIELD_PASSWORD,
  FIELD_TOKEN,
  type FormProblem,
  renderClosedPage,
  renderConfirmationForm,
} from './confirmation-page';
import { sendHtml } from './respond';
import type { Mount } from './server';

export const CONFIRMATION_PATH = '/confirmation';

/**
 * A token (43 characters) and a password of at most 128 characters, each up to 4 bytes in UTF-8 and 3
 * characters once percent-encoded: 4 KB is plenty, and nothing bigger is read.
 */
export const MAX_FORM_BYTES = 4 * 1024;

export interface ConfirmationDeps {
  readonly accounts: Pick<AccountService, 'inspect' | 'confirm'>;
  readonly calendar: ElectionCalendar;
  readonly logger: Logger;
  /**
   * Unknown links per client IP (RULES.confirmationFailuresPerIp) and confirmation submits per client IP
   * (RULES.confirmationSubmitsPerIp), shared by every instance.
   */
  readonly limiter: RateLimiter;
  /** config.webChat.trustProxy: the client IP is then the last X-Forwarded-For hop. */
  readonly trustProxy: boolean;
  /** The application clock, in ms. */
  readonly now: () => number;
  /** Tells the teacher in the chat; must not throw. */
  readonly onConfirmed: (outcome: Extract<ConfirmOutcome, { status: 'confirmed' }>) => void;
}

const STATUS: Record<ClosedPage | 'form' | 'refused', number> = {
  form: 200,
  refused: 422,
  confirmed: 200,
  unknown: 404,
  expired: 410,
  used: 409,
  replaced: 410,
  superseded: 409,
  cancelled: 410,
  spent: 410,
  unavailable: 503,
  tooMany: 429,
  badForm: 400,
};

/**
 * GET (and HEAD) /confirmation?jeton=… — the link of the confirmation mail — only shows the request and a
 * password form: it changes nothing, so a mail scanner that opens every link confirms nothing. POST
 * /confirmation (the form: token and password) confirms when the password is the one chosen in the chat
 * for this link's request.
 */
export function confirmationMount(deps: ConfirmationDeps): Mount {
  const show = async (req: Request, res: Response): Promise<void> => {
    const raw = (req.query as Record<string, unknown> | undefined)?.jeton;
    const token = typeof raw === 'string' ? raw : '';
    const ip = clientAddress(req, deps.trustProxy);
    try {
      const waitMs = await blockedForFailures(ip);
      if (waitMs > 0) return sendClosed(res, 'tooMany', waitMs);
      const link = await deps.accounts.inspect(token);
      await countIfUnknown(link, ip);
      sendLink(res, token, link);
    } catch (error) {
      sendClosed(res, unavailable(error));
    }
  };

  const submit = async (req: Request, res: Response): Promise<void> => {
    const ip = clientAddress(req, deps.trustProxy);
    let fields: URLSearchParams;
    try {
      // Every submit counts, right or wrong, before the body is read: each one may run argon2.
      const verdict = await deps.limiter.consume(RULES.confirmationSubmitsPerIp, ip, deps.now());
      if (!verdict.allowed) return sendClosed(res, 'tooMany', verdict.retryAfterMs);
      const waitMs = await blockedForFailures(ip);
      if (waitMs > 0) return sendClosed(res, 'tooMany', waitMs);
    } catch (error) {
      return sendClosed(res, unavailable(error));
    }
    try {
      fields = await readForm(req, MAX_FORM_BYTES);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // The client left mid-body: nobody to answer, nothing to log.
      if (error.code === 'CLIENT_GONE') return;
      return sendClosed(res, 'badForm', 0, error.status);
    }
    const token = fields.get(FIELD_TOKEN) ?? '';
    const password = fields.get(FIELD_PASSWORD) ?? '';
    try {
      if (password === '') {
        // Nothing typed: asked again, without taking one of the link's attempts.
        const link = await deps.accounts.inspect(token);
        await countIfUnknown(link, ip);
        return sendLink(res, token, link, { kind: 'missing' });
      }
      const outcome = await deps.accounts.confirm(token, password);
      if (outcome.status === 'confirmed') {
        deps.onConfirmed(outcome);
        return sendClosed(res, 'confirmed');
      }
      if (outcome.status === 'wrong-password') {
        if (outcome.attemptsLeft <= 0) return sendClosed(res, 'spent');
        return sendLink(res, token, await deps.accounts.inspect(token), {
          kind: 'wrong',
          attemptsLeft: outcome.attemptsLeft,
        });
      }
      await countIfUnknown(outcome, ip);
      sendClosed(res, outcome.status);
    } catch (error) {
      sendClosed(res, unavailable(error));
    }
  };

  /** Only unknown links count (guessing yields nothing else), checked before the lookup. */
  const blockedForFailures = async (ip: string): Promise<number> => {
    const gate = await deps.limiter.peek(RULES.confirmationFailuresPerIp, ip, deps.now());
    return gate.allowed ? 0 : gate.retryAfterMs;
  };
  const countIfUnknown = async (link: { status: string }, ip: string): Promise<void> => {
    if (link.status === 'unknown')
      await deps.limiter.consume(RULES.confirmationFailuresPerIp, ip, deps.now());
  };

  const unavailable = (error: unknown): 'unavailable' => {
    if (!isAppError(error, 'STORE_UNAVAILABLE')) throw error;
    deps.logger.error({ err: { message: error.message } }, 'confirmation failed: store unavailable');
    return 'unavailable';
  };

  const sendLink = (res: Response, token: string, link: LinkInspection, problem?: FormProblem): void => {
    if (link.status === 'open')
      sendHtml(
        res,
        problem ? STATUS.refused : STATUS.form,
        renderConfirmationForm(token, link, deps.calendar.passwordPolicy, problem),
      );
    else sendClosed(res, link.status);
  };

  const sendClosed = (res: Response, page: ClosedPage, waitMs = 0, status = STATUS[page]): void => {
    const zone = deps.calendar.timeZone;
    const html = renderClosedPage(page, {
      voteOpens: formatDateTimeFr(deps.calendar.vote.opens, zone),
      voteCloses: formatDateTimeFr(deps.calendar.vote.closes, zone),
      wait: formatWaitFr(waitMs),
    });
    sendHtml(
      res,
      status,
      html,
      page === 'tooMany' ? { 'Retry-After': String(retryAfterSeconds(waitMs)) } : {},
    );
  };

  return (server) => {
    server.get(CONFIRMATION_PATH, show);
    server.head(CONFIRMATION_PATH, show);
    server.post(CONFIRMATION_PATH, submit);
    server.get(CONFIRMATION_CSS_PATH, async (_req: Request, res: Response) => {
      res.writeHead(200, {
        'Content-Type': 'text/css; charset=utf-8',
        'Cache-Control': 'public, max-age=3600',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(CONFIRMATION_CSS);
    });
  };
}
