import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';

/**
 * Reads a JSON body with a size cap. Our own reader rather than restify's parser: the parser's error
 * messages quote the body, which may contain a password; ours say only what was wrong.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/([\w.+-]+\+)?json\b/.test(type)) {
    throw new AppError('BAD_REQUEST', 'unsupported content type', { unsupportedMediaType: true });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `declared ${declared} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('BAD_REQUEST', 'body is not JSON');
  }
  if (depthOver(parsed, MAX_DEPTH)) throw new AppError('BAD_REQUEST', `nested deeper than ${MAX_DEPTH}`);
  return parsed;
}

/** Activities nest a few levels (cards: about ten); anything deep is hostile and would overflow later code. */
export const MAX_DEPTH = 64;

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
