import type { Request, Response } from 'restify';
import type { AccountService } from '../domain/accounts/account-service';
import type { ConfirmOutcome } from '../domain/accounts/ports';
import type { ElectionCalendar } from '../domain/calendar/calendar';
import { formatDateTimeFr } from '../domain/calendar/format';
import { isAppError } from '../errors';
import { t, tList } from '../i18n';
import type { Logger } from '../log';
import { renderPage } from './html';
import { setSecurityHeaders } from './security-headers';

export interface ConfirmationDeps {
  readonly accounts: Pick<AccountService, 'confirm'>;
  readonly calendar: ElectionCalendar;
  readonly logger: Logger;
  /** Tells the teacher in the chat; must not throw. */
  readonly onConfirmed: (outcome: Extract<ConfirmOutcome, { status: 'confirmed' }>) => void;
}

const STATUS: Record<ConfirmOutcome['status'] | 'unavailable', number> = {
  confirmed: 200,
  unknown: 404,
  expired: 410,
  used: 409,
  replaced: 410,
  unavailable: 503,
};

/** GET /confirmation?jeton=… — the link of the confirmation mail. */
export function confirmationHandler(deps: ConfirmationDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = (req.query as Record<string, unknown> | undefined)?.jeton;
    const token = typeof raw === 'string' ? raw : '';
    let page: keyof typeof STATUS;
    try {
      const outcome = await deps.accounts.confirm(token);
      page = outcome.status;
      if (outcome.status === 'confirmed') deps.onConfirmed(outcome);
    } catch (error) {
      if (!isAppError(error, 'STORE_UNAVAILABLE')) throw error;
      deps.logger.error({ err: { message: error.message } }, 'confirmation failed: store unavailable');
      page = 'unavailable';
    }
    const zone = deps.calendar.timeZone;
    const params = {
      voteOpens: formatDateTimeFr(deps.calendar.vote.opens, zone),
      voteCloses: formatDateTimeFr(deps.calendar.vote.closes, zone),
    };
    const html = renderPage(
      {
        title: t(`pages.confirmation.${page}.title`),
        paragraphs: tList(`pages.confirmation.${page}.paragraphs`, params),
        tone: page === 'confirmed' || page === 'used' ? 'success' : 'problem',
      },
      t('pages.siteName'),
    );
    setSecurityHeaders(res);
    res.writeHead(STATUS[page], { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  };
}
