import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PostedActivity {
  conversationId: string;
  activity: { type: string; text?: string; [key: string]: unknown };
}

/**
 * Stands in for a channel's Bot Connector service: the bot posts its proactive messages to
 * `{serviceUrl}v3/conversations/{id}/activities`. Real HTTP, so the adapter's own client is exercised.
 */
export async function startFakeConnector() {
  const posted: PostedActivity[] = [];
  /**
   * What the next activity POSTs meet, in order: `error500` answers 500 (the channel refused it, nothing
   * posted); `reset` reads the activity and breaks the connection without an answer (it may have been
   * delivered: the bot cannot know). Every POST that reached the connector is in `received`.
   */
  const faults: Array<'error500' | 'reset'> = [];
  const received: PostedActivity[] = [];
  /** Teams profiles served by GET …/members/{id} (TeamsInfo.getMember), as in fixture 06a. */
  const members = new Map<string, Record<string, unknown>>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'GET' && member?.[1]) {
        const profile = members.get(decodeURIComponent(member[1]));
        res.writeHead(profile ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(profile ?? { error: { code: 'MemberNotFoundInConversation' } }));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && match?.[1]) {
        received.push({ conversationId: decodeURIComponent(match[1]), activity: JSON.parse(body) });
        const fault = faults.shift();
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'error500') {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'channel unavailable' } }));
          return;
        }
        posted.push({ conversationId: decodeURIComponent(match[1]), activity: JSON.parse(body) });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${posted.length}` }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    serviceUrl,
    posted,
    received,
    faults,
    members,
    async waitFor(predicate: (p: PostedActivity) => boolean, timeoutMs = 5_000): Promise<PostedActivity> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = posted.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no matching proactive activity');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
