import type { ServerResponse } from 'node:http';
import { retryAfterSeconds } from '../domain/limits/rate-limiter';
import { formatWaitFr } from '../domain/limits/wait';
import { AppError, ERROR_CODES, isAppError } from '../errors';
import { t } from '../i18n';
import { setSecurityHeaders } from './security-headers';

/**
 * The one place where a failure becomes an HTTP response: status, stable code, French message and title,
 * Retry-After. Routes throw (or build) AppErrors; they never pick a status or a message for an error.
 */
export interface ErrorResponse {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
}

export function errorResponse(error: AppError): ErrorResponse {
  const retryAfterMs = Number(error.data?.retryAfterMs ?? Number.NaN);
  const waiting = Number.isFinite(retryAfterMs) && retryAfterMs > 0;
  const params = { ...(waiting ? { wait: formatWaitFr(retryAfterMs) } : {}), ...error.messageParams };
  return {
    status: error.status,
    code: error.code,
    title: t(titleKeyOf(error)),
    message: t(error.messageKey, params),
    headers: waiting ? { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) } : {},
  };
}

function titleKeyOf(error: AppError): string {
  return ERROR_CODES[error.code].titleKey;
}

/** Anything that is not an AppError is a bug: the client gets a French 500, the log gets the error. */
export function asAppError(error: unknown): AppError {
  return isAppError(error) ? error : new AppError('INTERNAL', (error as Error | undefined)?.message);
}

/**
 * Every JSON answer of ours is per-user or per-request: never cached. The baseline headers of
 * src/http/security-headers.ts (set on every response before any handler) stay as they are.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) return;
  // No body at all (a 204, Direct Line's empty answers): no content type either.
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** A page of ours: the page policy (our stylesheet only, no framing, no referrer, no cache). */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) return;
  setSecurityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}

/** `{ error: { code, message } }`, the shape of every JSON error of the product. */
export function sendJsonError(
  res: ServerResponse,
  error: AppError,
  headers: Readonly<Record<string, string>> = {},
): void {
  const answer = errorResponse(error);
  sendJson(
    res,
    answer.status,
    { error: { code: answer.code, message: answer.message } },
    { ...answer.headers, ...headers },
  );
}

/** The same error as a page, drawn by the surface's own shell (public pages, console). */
export function sendErrorPage(
  res: ServerResponse,
  error: AppError,
  render: (answer: ErrorResponse) => string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const answer = errorResponse(error);
  sendHtml(res, answer.status, render(answer), { ...answer.headers, ...headers });
}
