import type { Server as HttpServer } from 'node:http';
import type { Request, Response } from 'restify';

/**
 * What graceful shutdown needs from the HTTP side: which requests are still running, and a way to stop
 * taking new ones. A turn is one HTTP request (the channel waits for our answer), so "finish the turns in
 * flight" means "let the requests in flight end".
 */
export interface RequestTracker {
  /** True once shutdown began: /healthz says 503 so that the load balancer stops sending traffic here. */
  readonly draining: boolean;
  readonly inFlight: number;
  /** A restify `pre` handler: counts the request until its response is finished or aborted. */
  readonly pre: (req: Request, res: Response, next: () => void) => void;
  beginDrain(): void;
  /** Resolves true when no request is in flight, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>;
}

export function createRequestTracker(): RequestTracker {
  let draining = false;
  let inFlight = 0;
  const waiters = new Set<() => void>();

  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of waiters) wake();
  };

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    pre(_req, res, next) {
      inFlight += 1;
      // 'close' fires once, whether the response finished or the client went away.
      res.once('close', done);
      // A keep-alive client would otherwise keep sending to an instance that is going away.
      if (draining) res.setHeader('Connection', 'close');
      next();
    },
    beginDrain() {
      draining = true;
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(inFlight === 0);
        }, timeoutMs);
        timer.unref();
        waiters.add(wake);
      });
    },
  };
}

/**
 * Background work started by a request but finished after its response (the proactive « compte confirmé »,
 * statistics): shutdown waits for it instead of cutting it off.
 */
export interface BackgroundTasks {
  run(task: Promise<unknown>): void;
  settled(timeoutMs: number): Promise<boolean>;
}

export function createBackgroundTasks(): BackgroundTasks {
  const pending = new Set<Promise<unknown>>();
  return {
    run(task) {
      const tracked = task.catch(() => undefined).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    async settled(timeoutMs) {
      if (pending.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const all = Promise.all([...pending]).then(() => true as const);
      try {
        return await Promise.race([all, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Stops accepting connections and resolves when the server is closed. Idle keep-alive sockets are closed at
 * once; sockets still busy after `timeoutMs` (a hung client, a Web Socket) are cut.
 */
export function closeServer(server: HttpServer, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
