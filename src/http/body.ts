import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

/**
 * The one body reader of the HTTP edge, for JSON and urlencoded forms alike. Our own rather than restify's
 * parsers: their error messages quote the body, which may hold a password; ours say only what was wrong.
 *
 * Errors are AppErrors the edge maps to a response in one place (src/http/respond.ts):
 * UNSUPPORTED_MEDIA_TYPE (nothing read), PAYLOAD_TOO_LARGE, BAD_REQUEST, and CLIENT_GONE when the client
 * left mid-body (nobody to answer).
 */
export type BodyKind = 'json' | 'form';

const CONTENT_TYPES: Readonly<Record<BodyKind, RegExp>> = {
  json: /^application\/([\w.+-]+\+)?json\b/,
  form: /^application\/x-www-form-urlencoded\b/,
};

/** Activities nest a few levels (cards: about ten); anything deep is hostile and would overflow later code. */
export const MAX_DEPTH = 64;

/** A JSON body of at most `maxBytes`, nested at most MAX_DEPTH levels. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const text = await readText(req, 'json', maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', 'body is not JSON');
  }
  if (depthOver(parsed, MAX_DEPTH)) throw new AppError('BAD_REQUEST', `nested deeper than ${MAX_DEPTH}`);
  return parsed;
}

/** An urlencoded form of at most `maxBytes`. */
export async function readForm(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(req, 'form', maxBytes));
}

async function readText(req: IncomingMessage, kind: BodyKind, maxBytes: number): Promise<string> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!CONTENT_TYPES[kind].test(type)) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${kind} expected`,
      { expected: kind },
      kind === 'form' ? { key: 'errors.unsupportedForm' } : undefined,
    );
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  // Not read at all: Node discards the body after the response and the connection stays usable.
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `declared ${declared} bytes`);
  return (await readCapped(req, maxBytes)).toString('utf8');
}

/**
 * A body that goes over the cap mid-way (chunked) is rejected at once, but its rest is still read and
 * dropped, as Node does for a declared length: destroying the request, or cutting the connection, would
 * reset a keep-alive connection the client has already taken back for its next request. The server's
 * request timeout bounds how long a client can keep sending.
 */
export function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const fail = (error: AppError) => {
      chunks.length = 0;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > maxBytes) {
        over = true;
        fail(new AppError('PAYLOAD_TOO_LARGE', `over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    // A client gone mid-body: settle, so that nothing waits on it (a never-settled promise per aborted
    // request would be a leak).
    req.on('close', () => {
      if (!req.complete && !over) fail(new AppError('CLIENT_GONE', 'request aborted'));
    });
    req.on('error', () => undefined);
  });
}

/** Iterative, so that the check itself cannot overflow the stack. */
function depthOver(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
