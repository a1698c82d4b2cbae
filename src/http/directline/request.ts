import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAppError } from '../../errors';
import { readJson } from '../body';
import { errorResponse } from '../respond';
import { ownOriginOfHost } from './origins';
import { sendBadRequest } from './respond';

/**
 * A JSON body that may be absent: Web Chat's client posts `tokens/refresh` without one and
 * `conversations` with one. Returns undefined when there is none, throws AppError when it is malformed.
 */
export async function readOptionalJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) return undefined;
  // A body that is not JSON is refused (415) by the shared reader, before anything of it is read.
  return readJson(req, maxBytes);
}

/** Answers an AppError from the body reader (400, 413, 415) and says whether it did. */
export function answeredBodyError(error: unknown, res: ServerResponse): boolean {
  if (!isAppError(error)) return false;
  if (error.code === 'CLIENT_GONE') return true;
  const answer = errorResponse(error);
  sendBadRequest(res, answer.status, answer.message);
  return true;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short string field, or undefined. */
export function shortString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/**
 * The base URL the client used to reach us, so that the URLs we hand back (domain, streamUrl) are the
 * page's own origin whether it was opened as localhost, 127.0.0.1 or PUBLIC_BASE_URL: the one of our own
 * origins that the Host header names, else the listening address. Host only chooses among ours.
 */
export function clientBaseUrl(req: IncomingMessage, own: readonly string[], fallback: string): string {
  return ownOriginOfHost(req.headers.host, own) ?? fallback;
}

export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
