import type { ServerResponse } from 'node:http';

/** Pages only need our own stylesheet: everything else is refused. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function setSecurityHeaders(res: Pick<ServerResponse, 'setHeader'>): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * For every response before any handler runs. Handlers that render pages replace the policy with their
 * own (res.header / writeHead override it); anything else (JSON, errors, assets) keeps this one, which
 * allows nothing to run and nothing to frame it.
 */
export const BASELINE_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function baselineSecurityHeaders(options: { hsts: boolean }) {
  return (_req: unknown, res: Pick<ServerResponse, 'setHeader'>, next: () => void): void => {
    res.setHeader('Content-Security-Policy', BASELINE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // Two years, as preload lists ask; only behind https, or browsers on plain http would be locked out.
    if (options.hsts) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    next();
  };
}
