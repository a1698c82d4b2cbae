import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { DIRECTLINE_PREFIX } from '../../http/directline/paths';
import type { TokenService } from '../../http/directline/tokens';
import type { Logger } from '../../log';
import type { ActivitySet, ConversationStore, Listener } from './store';

export interface StreamDeps {
  readonly store: ConversationStore;
  readonly tokens: TokenService;
  readonly logger: Logger;
  /** Between two pings; a socket that missed a pong by the next one is cut. */
  readonly heartbeatMs?: number;
}

const STREAM_PATH = new RegExp(`^${DIRECTLINE_PREFIX}/conversations/([A-Za-z0-9_-]{8,64})/stream$`);
/** A client that does not read (a frozen tab) must not make us buffer a conversation's worth of cards. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * The conversation's WebSocket (`streamUrl`): on connection it receives what it missed since the
 * watermark of its URL (everything without one: the welcome may be sent before the socket opens), then
 * every new activity as `{ activities: [activity], watermark: "n" }`. What the client sends on it (Web
 * Chat sends empty messages to notice broken connections) is ignored, as Direct Line does.
 */
export function attachStream(httpServer: HttpServer, deps: StreamDeps): { close(): void } {
  const { store, tokens, logger } = deps;
  // No permessage-deflate: activities are small, and compression keeps per-socket state alive.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match?.[1]) {
      // Someone else's upgrade, if anyone listens for it; otherwise nobody will answer it but us.
      if (httpServer.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    const check = tokens.verify(url.searchParams.get('t') ?? undefined);
    if (!check.ok || check.claims.kind !== 'stream') {
      refuse(socket, check.ok || check.problem !== 'expired' ? 401 : 403, 'Unauthorized');
      return;
    }
    const conversation = store.get(match[1]);
    if (check.claims.conv !== match[1]) {
      refuse(socket, 403, 'Forbidden');
      return;
    }
    if (!conversation || conversation.userId !== check.claims.user) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('message', () => undefined);
      ws.on('error', (error) =>
        logger.debug({ err: { message: error.message } }, 'Direct Line stream error'),
      );

      const send = (set: ActivitySet) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(set));
      };
      // What was missed, then live: both in this same tick, so nothing falls between them.
      const backlog = store.since(conversation, url.searchParams.get('watermark') ?? undefined);
      if (backlog.activities.length > 0) send(backlog);
      const listener: Listener = { send, close: () => ws.close(1000) };
      const stop = store.listen(conversation, listener);
      ws.on('close', stop);
    });
  };

  httpServer.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    close() {
      clearInterval(heartbeat);
      httpServer.off('upgrade', onUpgrade);
      // Open sockets would keep the HTTP server's close() waiting for ever.
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
