import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Request, Response } from 'restify';

const gzip = promisify(zlib.gzip);

/** One year: the page always asks for `?v=<hash>`, so a new content is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A file served as it is, read once at start-up (a missing file stops the start, not a teacher's page). */
export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  /** The first characters of the content's sha256: the `v` of the page's URLs and the ETag. */
  readonly version: string;
  /** Cache-Control when the URL has no (or an old) `v`: short, so that a new release is seen soon. */
  readonly unversionedCache: string;
  /** Only widget.js is loaded by other sites; the rest is for our own page. */
  readonly crossOrigin: boolean;
  /** Computed at the first request that accepts gzip, then kept: Web Chat's bundle is 3.9 MB, ~1 MB gzipped. */
  gzipped?: Promise<Buffer>;
}

export interface AssetOptions {
  readonly unversionedCache?: string;
  readonly crossOrigin?: boolean;
}

export function assetFrom(body: Buffer, contentType: string, options: AssetOptions = {}): Asset {
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return {
    body,
    contentType,
    version,
    unversionedCache: options.unversionedCache ?? 'public, max-age=3600',
    crossOrigin: options.crossOrigin ?? false,
  };
}

export function readAsset(file: string, contentType: string, options?: AssetOptions): Asset {
  return assetFrom(fs.readFileSync(file), contentType, options);
}

/** The URL the page links to: versioned, hence cacheable for a year. */
export function versioned(urlPath: string, asset: Asset): string {
  return `${urlPath}?v=${asset.version}`;
}

/** 200 (gzipped when the client accepts it) or 304 when the client's copy is current. */
export async function serveAsset(req: Request, res: Response, asset: Asset): Promise<void> {
  const etag = `"${asset.version}"`;
  const query = (req.query ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    'Cache-Control': query.v === asset.version ? IMMUTABLE : asset.unversionedCache,
    ETag: etag,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': asset.crossOrigin ? 'cross-origin' : 'same-origin',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (acceptsGzip) {
    asset.gzipped ??= gzip(asset.body, { level: 6 });
    const body = await asset.gzipped;
    res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
    res.end(body);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(asset.body.length) });
  res.end(asset.body);
}
