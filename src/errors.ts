/**
 * Every failure the product can report, with a stable code (for logs, tests and the helpdesk),
 * the HTTP status it maps to, and the key of its French message in locales/.
 */
export const ERROR_CODES = {
  INVALID_ADDRESS: { status: 400, messageKey: 'errors.invalidAddress' },
  WEAK_PASSWORD: { status: 400, messageKey: 'errors.weakPassword' },
  ACCOUNT_WINDOW_CLOSED: { status: 409, messageKey: 'errors.accountWindowClosed' },
  TOKEN_UNKNOWN: { status: 404, messageKey: 'errors.tokenUnknown' },
  TOKEN_EXPIRED: { status: 410, messageKey: 'errors.tokenExpired' },
  TOKEN_USED: { status: 409, messageKey: 'errors.tokenUsed' },
  TOKEN_REPLACED: { status: 410, messageKey: 'errors.tokenReplaced' },
  STORE_UNAVAILABLE: { status: 503, messageKey: 'errors.storeUnavailable' },
  /** data: { rule, retryAfterMs } — the rule's name and how long to wait. */
  RATE_LIMITED: { status: 429, messageKey: 'errors.rateLimited' },
  BAD_REQUEST: { status: 400, messageKey: 'errors.badRequest' },
  PAYLOAD_TOO_LARGE: { status: 413, messageKey: 'errors.payloadTooLarge' },
  INTERNAL: { status: 500, messageKey: 'errors.internal' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  readonly messageKey: string;

  /** `detail` is for logs only and must never hold a secret. */
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly data?: Readonly<Record<string, unknown>>,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.messageKey = ERROR_CODES[code].messageKey;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
