import type { Response } from 'restify';

/** Pages only need our own stylesheet: everything else is refused. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function setSecurityHeaders(res: Response): void {
  res.header('Content-Security-Policy', PAGE_CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('X-Frame-Options', 'DENY');
  res.header('Cache-Control', 'no-store');
}
