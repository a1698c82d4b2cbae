import type { Request, Response } from 'restify';
import {
  type LinkState,
  PASSWORD_ENTRY_PATH,
  type PasswordEntryService,
  type SubmitOutcome,
} from '../../domain/accounts/password-entry';
import { describeUnmet } from '../../domain/accounts/password-rules-fr';
import { type RateLimiter, retryAfterSeconds } from '../../domain/limits/rate-limiter';
import { RULES } from '../../domain/limits/rules';
import { isAppError } from '../../errors';
import { t, tList } from '../../i18n';
import type { Logger } from '../../log';
import { readForm } from '../body';
import { clientAddress } from '../client-address';
import { renderPage } from '../html';
import { sendHtml } from '../respond';
import type { Mount } from '../server';
import { FIELD_CONFIRMATION, FIELD_PASSWORD, PASSWORD_ENTRY_CSS_PATH, renderPasswordForm } from './page';
import { PASSWORD_ENTRY_CSS } from './styles';

/**
 * Two fields of at most 128 characters, each up to 4 bytes in UTF-8 and 3 characters once
 * percent-encoded: 4 KB is plenty, and nothing bigger is read.
 */
export const MAX_FORM_BYTES = 4 * 1024;

export interface PasswordEntryRouteDeps {
  /** Its `policy` is what the form lists and its refusals name: the rules the service checks. */
  readonly entries: Pick<PasswordEntryService, 'inspect' | 'submit' | 'policy'>;
  readonly logger: Logger;
  /** Resumes the conversation (the dialog takes the hash). Must not throw. */
  readonly onSaved: (saved: Extract<SubmitOutcome, { status: 'saved' }>) => Promise<void>;
  readonly maxBodyBytes?: number;
  /** Submits per client IP (RULES.passwordEntrySubmitsPerIp), shared by every instance. */
  readonly limiter?: RateLimiter;
  readonly trustProxy?: boolean;
  /** The application clock, in ms (the limiter counts in it). */
  readonly now?: () => number;
}

/** The Web Chat page (src/http/webchat). */
const CHAT_PAGE = '/';

type ClosedPage = Exclude<LinkState, 'open'> | 'saved' | 'busy' | 'tooMany' | 'unavailable' | 'badForm';

const STATUS: Record<ClosedPage, number> = {
  saved: 200,
  busy: 409,
  tooMany: 429,
  unknown: 404,
  expired: 410,
  used: 410,
  replaced: 410,
  unavailable: 503,
  badForm: 400,
};

/**
 * GET and POST /mot-de-passe/<jeton>: the page where the voter password is typed when the académie keeps
 * credentials out of the chat. The token in the path is the credential (one use, 30 minutes); the page
 * cannot be framed, sends no referrer and is never cached (setSecurityHeaders).
 */
export function passwordEntryMount(deps: PasswordEntryRouteDeps): Mount {
  const maxBytes = deps.maxBodyBytes ?? MAX_FORM_BYTES;
  return (server) => {
    server.get(PASSWORD_ENTRY_CSS_PATH, async (_req: Request, res: Response) => {
      res.writeHead(200, {
        'Content-Type': 'text/css; charset=utf-8',
        'Cache-Control': 'public, max-age=3600',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(PASSWORD_ENTRY_CSS);
    });

    server.get(`${PASSWORD_ENTRY_PATH}/:jeton`, async (req: Request, res: Response) => {
      let state: LinkState | 'unavailable';
      try {
        state = await deps.entries.inspect(tokenOf(req));
      } catch (error) {
        state = unavailable(error, deps.logger);
      }
      if (state === 'open') sendHtml(res, 200, renderPasswordForm(deps.entries.policy));
      else sendClosed(res, state);
    });

    server.post(`${PASSWORD_ENTRY_PATH}/:jeton`, async (req: Request, res: Response) => {
      // Every submit counts, valid or not: each one may run argon2. Checked before the body is read.
      if (deps.limiter) {
        const ip = clientAddress(req, deps.trustProxy ?? false);
        let waitMs = 0;
        try {
          const verdict = await deps.limiter.consume(
            RULES.passwordEntrySubmitsPerIp,
            ip,
            deps.now?.() ?? Date.now(),
          );
          if (!verdict.allowed) waitMs = verdict.retryAfterMs;
        } catch (error) {
          sendClosed(res, unavailable(error, deps.logger));
          return;
        }
        if (waitMs > 0) {
          sendClosed(res, 'tooMany', STATUS.tooMany, { 'Retry-After': String(retryAfterSeconds(waitMs)) });
          return;
        }
      }
      let fields: URLSearchParams;
      try {
        fields = await readForm(req, maxBytes);
      } catch (error) {
        if (!isAppError(error)) throw error;
        // The client left mid-body: nobody to answer, nothing to log.
        if (error.code === 'CLIENT_GONE') return;
        sendClosed(res, 'badForm', error.status);
        return;
      }
      let outcome: SubmitOutcome | { status: 'unavailable' };
      try {
        outcome = await deps.entries.submit(
          tokenOf(req),
          fields.get(FIELD_PASSWORD) ?? '',
          fields.get(FIELD_CONFIRMATION) ?? '',
        );
      } catch (error) {
        outcome = { status: unavailable(error, deps.logger) };
      }
      if (outcome.status === 'invalid') {
        sendHtml(
          res,
          422,
          renderPasswordForm(deps.entries.policy, {
            unmet: describeUnmet(outcome.unmet, deps.entries.policy),
            mismatch: outcome.mismatch,
          }),
        );
        return;
      }
      if (outcome.status === 'saved') await deps.onSaved(outcome);
      sendClosed(res, outcome.status);
    });
  };
}

function tokenOf(req: Request): string {
  const raw = (req.params as Record<string, unknown> | undefined)?.jeton;
  return typeof raw === 'string' ? raw : '';
}

function unavailable(error: unknown, logger: Logger): 'unavailable' {
  if (!isAppError(error, 'STORE_UNAVAILABLE')) throw error;
  logger.error({ err: { message: error.message } }, 'password entry failed: store unavailable');
  return 'unavailable';
}

/** Literal keys, so that the locale tests see each of them. */
const PAGES: Record<ClosedPage, { title: string; paragraphs: string }> = {
  saved: { title: 'password-entry.saved.title', paragraphs: 'password-entry.saved.paragraphs' },
  busy: { title: 'password-entry.busy.title', paragraphs: 'password-entry.busy.paragraphs' },
  tooMany: { title: 'password-entry.tooMany.title', paragraphs: 'password-entry.tooMany.paragraphs' },
  unknown: { title: 'password-entry.unknown.title', paragraphs: 'password-entry.unknown.paragraphs' },
  expired: { title: 'password-entry.expired.title', paragraphs: 'password-entry.expired.paragraphs' },
  used: { title: 'password-entry.used.title', paragraphs: 'password-entry.used.paragraphs' },
  replaced: { title: 'password-entry.replaced.title', paragraphs: 'password-entry.replaced.paragraphs' },
  unavailable: {
    title: 'password-entry.unavailable.title',
    paragraphs: 'password-entry.unavailable.paragraphs',
  },
  badForm: { title: 'password-entry.badForm.title', paragraphs: 'password-entry.badForm.paragraphs' },
};

function sendClosed(
  res: Response,
  page: ClosedPage,
  status = STATUS[page],
  headers: Record<string, string> = {},
): void {
  const saved = page === 'saved';
  const html = renderPage(
    {
      title: t(PAGES[page].title),
      paragraphs: tList(PAGES[page].paragraphs),
      tone: saved ? 'success' : 'problem',
      // No dead end: a closed link leads on to the chat page, where a new link can be asked for. Not after
      // a success: the next step is in the teacher's own conversation, which a new chat would not be.
      ...(saved ? {} : { link: { href: CHAT_PAGE, text: t('password-entry.next') } }),
    },
    t('pages.siteName'),
  );
  sendHtml(res, status, html, headers);
}
