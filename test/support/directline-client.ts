import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

/** An activity as the Direct Line client sees it. */
export interface DlActivity {
  type: string;
  id?: string;
  text?: string;
  from?: { id: string; name?: string; role?: string };
  replyToId?: string;
  channelData?: Record<string, unknown>;
  attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
  [key: string]: unknown;
}

export interface DlResponse<T = Record<string, unknown>> {
  status: number;
  /** The answer; on a refusal, Direct Line's `{ error: { code, message } }` instead. */
  body: T & { error?: { code: string; message: string } };
  headers: Headers;
}

/** A Direct Line 3.0 client over real HTTP, as Web Chat's client calls it (Bearer token, JSON). */
export function directLineClient(domain: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<DlResponse<T>> => {
    const response = await fetch(`${domain}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as DlResponse<T>['body'],
      headers: response.headers,
    };
  };

  return {
    call,
    generate: (secret: string, body?: unknown) => call('POST', '/tokens/generate', secret, body),
    refresh: (token: string) => call('POST', '/tokens/refresh', token),
    /** As Web Chat's client starts a conversation: a JSON body with an empty user and the locale. */
    start: (token: string) =>
      call<{ conversationId: string; token: string; expires_in: number; streamUrl: string }>(
        'POST',
        '/conversations',
        token,
        { user: {}, locale: 'fr-FR' },
      ),
    reconnect: (token: string, conversationId: string, watermark = '') =>
      call<{ conversationId: string; token: string; streamUrl: string }>(
        'GET',
        `/conversations/${conversationId}?watermark=${watermark}`,
        token,
      ),
    activities: (token: string, conversationId: string, watermark?: string) =>
      call<{ activities: DlActivity[]; watermark: string }>(
        'GET',
        `/conversations/${conversationId}/activities${watermark === undefined ? '' : `?watermark=${watermark}`}`,
        token,
      ),
    /** Posts like Web Chat: a clientActivityID in channelData, the page's locale and time zone. */
    post: (token: string, conversationId: string, activity: Record<string, unknown>) => {
      const clientActivityID = randomUUID();
      return call<{ id: string }>('POST', `/conversations/${conversationId}/activities`, token, {
        type: 'message',
        from: { id: 'someone-else', name: 'Jeanne Martin', role: 'user' },
        locale: 'fr-FR',
        localTimezone: 'Europe/Paris',
        localTimestamp: new Date().toISOString(),
        textFormat: 'plain',
        ...activity,
        channelData: { clientActivityID, clientTimestamp: new Date().toISOString() },
      }).then((response) => ({ ...response, clientActivityID }));
    },
  };
}

export interface StreamFrame {
  activities: DlActivity[];
  watermark: string;
}

/** A WebSocket on a streamUrl that records every frame, for `waitFor` assertions. */
export async function openStream(streamUrl: string) {
  const ws = new WebSocket(streamUrl);
  const frames: StreamFrame[] = [];
  /** Messages that were not frames (keepalives), to check that none breaks Web Chat's JSON.parse. */
  const raw: string[] = [];
  ws.on('message', (data) => {
    const text = data.toString();
    raw.push(text);
    if (text) frames.push(JSON.parse(text) as StreamFrame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const activities = () => frames.flatMap((f) => f.activities);
  return {
    ws,
    frames,
    raw,
    activities,
    /** The first activity (in arrival order) matching, waiting for it up to `timeoutMs`. */
    async waitFor(predicate: (a: DlActivity) => boolean, timeoutMs = 10_000): Promise<DlActivity> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = activities().find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no matching activity in ${JSON.stringify(activities().map((a) => a.text ?? a.type))}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    /** Waits until no frame has arrived for `quietMs` (the bot has finished its turn). */
    async settle(quietMs = 300, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      let count = -1;
      while (count !== frames.length && Date.now() < deadline) {
        count = frames.length;
        await new Promise((r) => setTimeout(r, quietMs));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** Rejects with the HTTP status when the upgrade is refused. */
export function streamRefusal(streamUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl);
    ws.once('open', () => {
      ws.close();
      reject(new Error('the stream opened'));
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', () => undefined);
  });
}
