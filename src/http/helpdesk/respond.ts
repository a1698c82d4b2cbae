import type { Response } from 'restify';
import { setSecurityHeaders } from '../security-headers';

/** Every console answer is personal data: never cached, never framed, never sniffed. */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  setSecurityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendJsonError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { error: { code, message } }, headers);
}

export function sendHtml(res: Response, status: number, html: string, headers: Record<string, string> = {}) {
  setSecurityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}
