import type { Request, Response } from 'restify';
import type { AccountService } from '../domain/accounts/account-service';
import type { ConfirmOutcome } from '../domain/accounts/ports';
import type { ElectionCalendar } from '../domain/calendar/calendar';
import { formatDateTimeFr } from '../domain/calendar/format';
import { type RateLimiter, retryAfterSeconds } from '../domain/limits/rate-limiter';
import { RULES } from '../domain/limits/rules';
import { formatWaitFr } from '../domain/limits/wait';
import { isAppError } from '../errors';
import { t, tList } from '../i18n';
import type { Logger } from '../log';
import { clientAddress } from './client-address';
import { renderPage } from './html';
import { sendHtml } from './respond';

export interface ConfirmationDeps {
  readonly accounts: Pick<AccountService, 'confirm'>;
  readonly calendar: ElectionCalendar;
  readonly logger: Logger;
  /** Unknown links per client IP (RULES.confirmationFailuresPerIp), shared by every instance. */
  readonly limiter: RateLimiter;
  /** config.webChat.trustProxy: the client IP is then the last X-Forwarded-For hop. */
  readonly trustProxy: boolean;
  /** The application clock, in ms. */
  readonly now: () => number;
  /** Tells the teacher in the chat; must not throw. */
  readonly onConfirmed: (outcome: Extract<ConfirmOutcome, { status: 'confirmed' }>) => void;
}

const STATUS: Record<ConfirmOutcome['status'] | 'unavailable' | 'tooMany', number> = {
  confirmed: 200,
  unknown: 404,
  expired: 410,
  used: 409,
  replaced: 410,
  unavailable: 503,
  tooMany: 429,
};

/** GET /confirmation?jeton=… — the link of the confirmation mail. */
export function confirmationHandler(deps: ConfirmationDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = (req.query as Record<string, unknown> | undefined)?.jeton;
    const token = typeof raw === 'string' ? raw : '';
    let page: keyof typeof STATUS;
    let waitMs = 0;
    const ip = clientAddress(req, deps.trustProxy);
    const rule = RULES.confirmationFailuresPerIp;
    try {
      // Only unknown links are counted (guessing yields nothing else), and checked before the lookup.
      const gate = await deps.limiter.peek(rule, ip, deps.now());
      if (!gate.allowed) {
        page = 'tooMany';
        waitMs = gate.retryAfterMs;
      } else {
        const outcome = await deps.accounts.confirm(token);
        page = outcome.status;
        if (outcome.status === 'confirmed') deps.onConfirmed(outcome);
        if (outcome.status === 'unknown') await deps.limiter.consume(rule, ip, deps.now());
      }
    } catch (error) {
      if (!isAppError(error, 'STORE_UNAVAILABLE')) throw error;
      deps.logger.error({ err: { message: error.message } }, 'confirmation failed: store unavailable');
      page = 'unavailable';
    }
    const zone = deps.calendar.timeZone;
    const params = {
      voteOpens: formatDateTimeFr(deps.calendar.vote.opens, zone),
      voteCloses: formatDateTimeFr(deps.calendar.vote.closes, zone),
      wait: formatWaitFr(waitMs),
    };
    const html = renderPage(
      {
        title: t(`pages.confirmation.${page}.title`),
        paragraphs: tList(`pages.confirmation.${page}.paragraphs`, params),
        tone: page === 'confirmed' || page === 'used' ? 'success' : 'problem',
      },
      t('pages.siteName'),
    );
    sendHtml(
      res,
      STATUS[page],
      html,
      page === 'tooMany' ? { 'Retry-After': String(retryAfterSeconds(waitMs)) } : {},
    );
  };
}
