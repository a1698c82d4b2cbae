import type { Params } from './i18n';

/**
 * Every failure the product can report, with a stable code (for logs, tests, the helpdesk and API
 * clients), the HTTP status it maps to, and the key of its French message in locales/. A page shows the
 * `titleKey` as its title. src/http/respond.ts turns them into responses, in one place.
 */
export const ERROR_CODES = {
  INVALID_ADDRESS: { status: 400, messageKey: 'errors.invalidAddress', titleKey: 'errors.titles.badRequest' },
  WEAK_PASSWORD: { status: 400, messageKey: 'errors.weakPassword', titleKey: 'errors.titles.badRequest' },
  ACCOUNT_WINDOW_CLOSED: {
    status: 409,
    messageKey: 'errors.accountWindowClosed',
    titleKey: 'errors.titles.conflict',
  },
  TOKEN_UNKNOWN: { status: 404, messageKey: 'errors.tokenUnknown', titleKey: 'errors.titles.notFound' },
  TOKEN_EXPIRED: { status: 410, messageKey: 'errors.tokenExpired', titleKey: 'errors.titles.gone' },
  TOKEN_USED: { status: 409, messageKey: 'errors.tokenUsed', titleKey: 'errors.titles.conflict' },
  TOKEN_REPLACED: { status: 410, messageKey: 'errors.tokenReplaced', titleKey: 'errors.titles.gone' },
  STORE_UNAVAILABLE: {
    status: 503,
    messageKey: 'errors.storeUnavailable',
    titleKey: 'errors.titles.unavailable',
  },
  /** data: { rule, retryAfterMs } — the rule's name and how long to wait (sent as Retry-After). */
  RATE_LIMITED: { status: 429, messageKey: 'errors.rateLimited', titleKey: 'errors.titles.tooMany' },
  BAD_REQUEST: { status: 400, messageKey: 'errors.badRequest', titleKey: 'errors.titles.badRequest' },
  /** data: { expected: 'json' | 'form' } */
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    messageKey: 'errors.unsupportedMediaType',
    titleKey: 'errors.titles.badRequest',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    messageKey: 'errors.payloadTooLarge',
    titleKey: 'errors.titles.badRequest',
  },
  /** The client left mid-request: nobody to answer (the edge writes nothing). */
  CLIENT_GONE: { status: 400, messageKey: 'errors.badRequest', titleKey: 'errors.titles.badRequest' },
  UNAUTHENTICATED: {
    status: 401,
    messageKey: 'errors.unauthenticated',
    titleKey: 'errors.titles.unauthenticated',
  },
  /** A form or call that did not come from our own page (CSRF), or outside the caller's rights. */
  FORBIDDEN: { status: 403, messageKey: 'errors.forbidden', titleKey: 'errors.titles.forbidden' },
  NOT_FOUND: { status: 404, messageKey: 'errors.notFound', titleKey: 'errors.titles.notFound' },
  /** Helpdesk: an address, a conversation or an académie outside the agent's domains; data: { target }. */
  OUT_OF_SCOPE: { status: 403, messageKey: 'errors.forbidden', titleKey: 'errors.titles.forbidden' },
  /** The teacher's channel did not take a message sent outside a turn (an agent's reply, a handoff event). */
  CHANNEL_UNAVAILABLE: {
    status: 502,
    messageKey: 'errors.channelUnavailable',
    titleKey: 'errors.titles.unavailable',
  },
  /** Helpdesk: the handoff is not in the state the action needs (taken by another agent, no longer waiting). */
  HANDOFF_CONFLICT: { status: 409, messageKey: 'errors.handoffConflict', titleKey: 'errors.titles.conflict' },
  /** Helpdesk: failed logins from this address or for this login; data: { retryAfterMs }. */
  TOO_MANY_ATTEMPTS: { status: 429, messageKey: 'errors.rateLimited', titleKey: 'errors.titles.tooMany' },
  /** Helpdesk: the address had several resends; data: { retryAfterMs }. */
  TOO_MANY_RESENDS: { status: 429, messageKey: 'errors.rateLimited', titleKey: 'errors.titles.tooMany' },
  ALREADY_CONFIRMED: {
    status: 404,
    messageKey: 'errors.alreadyConfirmed',
    titleKey: 'errors.titles.conflict',
  },
  /** MAX_PENDING_REQUESTS requests wait for this address, each still waiting for its mail. */
  TOO_MANY_PENDING: {
    status: 429,
    messageKey: 'errors.tooManyPending',
    titleKey: 'errors.titles.tooMany',
  },
  NO_PENDING_ACCOUNT: {
    status: 404,
    messageKey: 'errors.noPendingAccount',
    titleKey: 'errors.titles.notFound',
  },
  STATS_UNAVAILABLE: {
    status: 503,
    messageKey: 'errors.storeUnavailable',
    titleKey: 'errors.titles.unavailable',
  },
  INTERNAL: { status: 500, messageKey: 'errors.internal', titleKey: 'errors.titles.internal' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The French text shown instead of the code's default one (a more precise message for this case). */
export interface ErrorMessage {
  readonly key: string;
  readonly params?: Params;
}

export class AppError extends Error {
  readonly status: number;
  readonly messageKey: string;
  readonly messageParams: Params | undefined;

  /** `detail` is for logs only and must never hold a secret. */
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly data?: Readonly<Record<string, unknown>>,
    message?: ErrorMessage,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.messageKey = message?.key ?? ERROR_CODES[code].messageKey;
    this.messageParams = message?.params;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
