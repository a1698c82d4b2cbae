import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsExposition } from '../domain/metrics/ports';
import { AppError } from '../errors';
import { sendJsonError } from './respond';
import type { Mount } from './server';

export interface MetricsMountOptions {
  /** METRICS_TOKEN: the only credential the route takes (Authorization: Bearer <token>). */
  readonly token: string;
  readonly exposition: MetricsExposition;
}

/**
 * GET /metrics, the operators' figures in the Prometheus text format, for whoever holds METRICS_TOKEN
 * (a scraper inside the hosting network): turn latency, Redis round trips and errors, lock waits, mails,
 * the outbox backlog, Node's event loop and memory. Mounted only when the token is set. The figures name
 * no teacher; the token keeps the service's load and internals to its operators.
 */
export function metricsMount(options: MetricsMountOptions): Mount {
  const expected = digest(options.token);
  return (server) => {
    server.get('/metrics', async (req, res) => {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
      // Compared as digests: same length whatever was sent, in constant time.
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        sendJsonError(res, new AppError('UNAUTHENTICATED', 'metrics: no valid bearer token'), {
          'WWW-Authenticate': 'Bearer realm="metrics"',
        });
        return;
      }
      const body = await options.exposition.render();
      res.writeHead(200, { 'Content-Type': options.exposition.contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
